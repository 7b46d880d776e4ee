"""Forms of the portal's pages."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from services.accounts.iin import validate_iin
from services.documents.codes import normalize_code
from services.documents.service import MAX_UPLOAD_BYTES


class VerifyCodeForm(forms.Form):
    """A verification code as printed under a document's QR code."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("20 letters and digits, as printed under the QR code. Spaces and hyphens do not matter."),
        error_messages={"required": _("Enter the verification code printed on the document.")},
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("Enter the code exactly as printed on the document: 20 letters and digits."), code="invalid"
            )
        return code


class VerifyUploadForm(forms.Form):
    """A PDF file to check. Its size is checked before its content is read."""

    document = forms.FileField(
        label=_("PDF file"),
        help_text=_("The PDF file as you received it from the portal, at most 5 MB."),
        error_messages={
            "required": _("Choose the PDF file to check."),
            "empty": _("The file is empty. Choose the PDF document you received from the portal."),
            "invalid": _("Choose the PDF file to check."),
        },
    )

    def clean_document(self) -> UploadedFile:
        document = self.cleaned_data["document"]
        if document.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB, so it is not a document from the portal."),
                code="too_large",
                params={"limit": MAX_UPLOAD_BYTES // 2**20},
            )
        return document

    @classmethod
    def refused(cls, message: str) -> "VerifyUploadForm":
        """An empty form with `message` by the file field, for an upload refused without reading it."""
        form = cls()
        form.cleaned_data = {}  # add_error expects a cleaned form; this one was never bound
        form.add_error("document", message)
        return form


class OwnerConsentForm(forms.Form):
    """The owner's IIN and the code the SMS gave them, to answer a request for their consent."""

    owner_iin = forms.CharField(
        label=_("Your IIN"),
        max_length=20,
        help_text=_("12 digits, as on your identity card."),
        error_messages={"required": _("Enter your IIN.")},
    )
    code = forms.RegexField(
        label=_("Code from the SMS"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_("6 digits."),
        error_messages={"required": _("Enter the code from the SMS."), "invalid": _("The code has 6 digits.")},
    )

    def clean_owner_iin(self) -> str:
        iin = "".join(self.cleaned_data["owner_iin"].split())
        validate_iin(iin)
        return iin

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()
