"""The criminal records registry (in production, the Legal Statistics Committee's database)."""

from services.accounts.iin import iin_birth_date, is_valid_iin
from services.registries.demo import DEMO_CRIMINAL_RECORDS
from services.registries.generation import SNAPSHOT_DATE, random_date_between, registry_random, years_after
from services.registries.records import CriminalRecord, CriminalRecordKind

__all__ = ["CriminalRecord", "CriminalRecordKind", "criminal_record"]

# Of the people old enough to have one: about 3% in all.
CONVICTION_SHARE = 0.02
NEEDS_MANUAL_CHECK_SHARE = 0.01
AGE_OF_CRIMINAL_RESPONSIBILITY = 16
# Article of the Criminal Code of 2014 -> what the registry writes.
CONVICTIONS = {
    "106": "Умышленное причинение средней тяжести вреда здоровью (ст. 106 УК РК)",
    "188": "Кража (ст. 188 УК РК)",
    "190": "Мошенничество (ст. 190 УК РК)",
    "191": "Грабёж (ст. 191 УК РК)",
    "293": "Хулиганство (ст. 293 УК РК)",
    "345": "Нарушение правил дорожного движения, повлёкшее вред здоровью (ст. 345 УК РК)",
}
MANUAL_CHECK_REASONS = (
    "Совпадение ФИО и даты рождения с лицом из архивной картотеки, требуется сверка",
    "Сведения архива за период до 1997 года не оцифрованы, требуется ручная проверка",
    "Прекращённое уголовное дело без итогового процессуального решения, требуется проверка",
)


def criminal_record(iin: str) -> CriminalRecord | None:
    """The person's conviction or manual-check flag; None for a clean record or an invalid IIN."""
    if not is_valid_iin(iin):
        return None
    if iin in DEMO_CRIMINAL_RECORDS:
        return DEMO_CRIMINAL_RECORDS[iin]
    responsible_since = years_after(iin_birth_date(iin), AGE_OF_CRIMINAL_RESPONSIBILITY)
    if responsible_since > SNAPSHOT_DATE:
        return None
    rng = registry_random("criminal", iin)
    roll = rng.random()
    if roll >= CONVICTION_SHARE + NEEDS_MANUAL_CHECK_SHARE:
        return None
    recorded_on = random_date_between(rng, responsible_since, SNAPSHOT_DATE)
    if roll < CONVICTION_SHARE:
        article = rng.choice(tuple(CONVICTIONS))
        return CriminalRecord(iin, CriminalRecordKind.CONVICTION, recorded_on, article, CONVICTIONS[article])
    return CriminalRecord(iin, CriminalRecordKind.NEEDS_MANUAL_CHECK, recorded_on, "", rng.choice(MANUAL_CHECK_REASONS))
