"""The text a person agrees to at sign-up: consent to the processing of personal data.

Any change of the wording is a new version: change CONSENT_VERSION in the same commit, so every
recorded consent names the text that was really shown.
"""

from django.utils.translation import gettext_lazy as _

CONSENT_VERSION = "2026-1"

CONSENT_PARAGRAPHS = (
    _(
        "I agree that the public services portal and the government bodies that provide the services "
        "I apply for collect, store and process my personal data: my IIN, name, date of birth, address, "
        "phone number, email address and the data held about me in state registers."
    ),
    _(
        "My data is used only to provide the services I apply for, to tell me about my requests and to "
        "keep the records the law requires. It is not passed to anyone else without my consent, "
        "except where the law requires it."
    ),
    _("I can withdraw this consent at a Public Service Centre, which closes my account on the portal."),
)
