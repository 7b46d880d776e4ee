"""Shared by the documents tests and the /verify/ page tests."""

import base64
import copy

from tests.factories import FORM_SCHEMA, ServiceFactory, ServiceRequestFactory, UserFactory

# A fixed, test-only Ed25519 private key (exactly 32 bytes). Never use it anywhere else.
TEST_SIGNING_KEY = base64.b64encode(b"test-only-document-signing-key!!").decode("ascii")

# Between them these texts hold every Kazakh letter outside Russian's alphabet: ә ғ қ ң ө ұ ү һ і.
KK_FIRST_NAME = "Әсем"
KK_LAST_NAME = "Ғалымжанқызы"
KK_SERVICE = "Тұрғылықты жері бойынша тіркеу"
KK_LABEL = "Үйдің нөмірі"
KK_OPTION = "Жиһаз шеберханасына жұмысқа орналасу"
KK_LETTERS = "әғқңөұүһі"

KK_SCHEMA = copy.deepcopy(FORM_SCHEMA)
KK_SCHEMA["properties"]["purpose"]["x-options"]["work"] = {
    "kk": KK_OPTION,
    "ru": "Трудоустройство в мебельную мастерскую",
    "en": "Work in a furniture workshop",
}
KK_SCHEMA["properties"]["details"]["x-label"] = {"kk": KK_LABEL, "ru": "Номер дома", "en": "House number"}
KK_ANSWERS = {"purpose": "work", "details": "12А", "phone": "+77011234567"}


def approved_request(language="kk", **kwargs):
    """An approved request for a certificate, with Kazakh names and answers."""
    service = ServiceFactory(
        name_kk=KK_SERVICE,
        name_ru="Регистрация по месту жительства",
        name_en="Registration at the place of residence",
        form=KK_SCHEMA,
    )
    citizen = UserFactory(first_name=KK_FIRST_NAME, last_name=KK_LAST_NAME)
    defaults = {"service": service, "citizen": citizen, "form_data": dict(KK_ANSWERS), "language": language}
    return ServiceRequestFactory(state="approved", **{**defaults, **kwargs})


def rejected_request(reason="The owner of the address did not give consent.", language="en", **kwargs):
    """A rejected request with a decision reason."""
    return ServiceRequestFactory(state="rejected", decision_reason=reason, language=language, **kwargs)
