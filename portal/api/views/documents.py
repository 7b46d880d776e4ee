"""Public verification of a result document by its code, as the QR code and /verify/ do."""

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.serializers import VerificationOut, as_data
from services.documents.service import document_verify_code


@extend_schema(tags=["documents"])
class VerificationView(APIView):
    """Anyone may check a code; rate limited per address (the `verify` rate), since guessing codes repeats this."""

    permission_classes = [AllowAny]
    throttle_scope = "verify"

    @extend_schema(operation_id="documents_verify", responses=VerificationOut)
    def get(self, request: Request, code: str) -> Response:
        """Whether the portal issued a document with this verification code, and that its file is intact."""
        return Response(as_data(VerificationOut, asdict(document_verify_code(code))))
