"""File a request as a citizen, page by page, through the same domain functions as the pages and the API."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from services.accounts.models import User
from services.catalogue.forms import coerce_answers
from services.catalogue.selectors import services_open_for_requests
from services.documents.models import ResultDocument
from services.registries.prefill import prefill_for
from services.workflow.models import ServiceRequest
from services.workflow.service import draft_complete, draft_start
from services.workflow.states import COMPLETED, FINAL, Channel, State
from services.workflow.transitions import FormInvalid

SETTLED = FINAL | {State.IN_REVIEW, State.AWAITING_CONSENT}


class Command(BaseCommand):
    help = "File and submit a request for a citizen (answers pre-filled from the registries where the form says)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--iin", required=True, help="the citizen's IIN (an existing account)")
        parser.add_argument("--service", required=True, help="the service's code, e.g. criminal-record-certificate")
        parser.add_argument("--answer", action="append", default=[], metavar="FIELD=VALUE", help="repeatable")
        parser.add_argument("--wait", type=float, default=0, metavar="SECONDS", help="wait for the decision")

    def handle(self, *args, iin: str, service: str, answer: list[str], wait: float, **options) -> None:
        citizen = User.objects.filter(iin=iin).first()
        chosen = services_open_for_requests().filter(code=service).first()
        if citizen is None or chosen is None:
            raise CommandError("No account with that IIN, or no active service with a form with that code.")
        typed = coerce_answers(chosen.form.schema, dict(item.split("=", 1) for item in answer if "=" in item))
        answers = {**prefill_for(citizen=citizen, form=chosen.form), **typed}
        draft = draft_start(citizen=citizen, service=chosen, channel=Channel.ASSISTED)
        try:
            request = draft_complete(request=draft, user=citizen, answers=answers, channel=Channel.ASSISTED)
        except FormInvalid as invalid:
            problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in invalid.errors.items())
            raise CommandError(f"Draft {draft.reference} kept, not submitted: {problems}") from invalid
        self.stdout.write(f"Submitted {request.reference} ({chosen.code}).")
        if wait:
            self._report(request, wait)

    def _report(self, request: ServiceRequest, wait: float) -> None:
        """Wait (polling, bounded) until the decision and any document are there."""
        give_up_at = time.monotonic() + wait
        while True:
            request.refresh_from_db()
            document = ResultDocument.objects.filter(request=request).first()
            settled = request.state in SETTLED and (request.state not in COMPLETED or document is not None)
            if settled or time.monotonic() > give_up_at:
                break
            time.sleep(0.2)
        self.stdout.write(f"State: {request.state}")
        if document is not None:
            self.stdout.write(f"Document: /verify/{document.verification_code}/")
