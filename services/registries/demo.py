"""Demo people and vehicles with known registry records, so a demo or a test knows each outcome.

They override the generated records in every registry (a demo person with no entry in a registry
has none there). The guide at the end says what to expect of which service; `demo_guide_markdown`
renders it for the README.
"""

from dataclasses import dataclass
from datetime import date

from services.accounts.iin import iin_birth_date, iin_is_female
from services.registries.records import (
    Address,
    CriminalRecord,
    CriminalRecordKind,
    Entrepreneur,
    Person,
    Property,
    PropertyKind,
    Sex,
    Vehicle,
)

CITIZEN = "900101300007"  # the demo citizen of services.accounts.demo
CITIZEN_SPOUSE = "920315400010"
CITIZEN_SON = "160520500021"
CITIZEN_DAUGHTER = "190902600034"
CONVICTED = "850714300117"
NEEDS_MANUAL_CHECK = "781103400129"
HOME_OWNER = "650422400213"
OWNS_NOTHING = "010210500224"
ENTREPRENEUR_WITH_ARREARS = "800630300313"
ENTREPRENEUR_WITHOUT_ARREARS = "881205400322"
LARGE_FAMILY_MOTHER = "830819400418"
LARGE_FAMILY_CHILDREN = ("110214500425", "130701600432", "171123500444", "251005600456")
NEWBORN = LARGE_FAMILY_CHILDREN[-1]

CLEAN_VIN = "XTA219070K0123456"
STOLEN_VIN = "JTDBR32E520012345"

CITIZEN_HOME = Address("astana", "г. Астана", "ул. Кенесары", "40", 15)
HOME_OWNER_FLAT = Address("almaty_city", "г. Алматы", "ул. Жибек жолы", "50", 12)
_HOME_OWNER_HOUSE = Address("almaty_region", "г. Талгар", "ул. Школьная", "17")
_LARGE_FAMILY_HOME = Address("kyzylorda", "с. Шиели", "ул. Жамбыла", "14")


def _adult(
    iin: str,
    names: str,
    address: Address,
    phone: str,
    email: str = "",
    *,
    spouse: str | None = None,
    children: tuple[str, ...] = (),
) -> Person:
    # Birth date and sex always come from the IIN's digits, as for generated people.
    last_name, first_name, patronymic = names.split()
    sex = Sex.FEMALE if iin_is_female(iin) else Sex.MALE
    return Person(
        iin, last_name, first_name, patronymic, iin_birth_date(iin), sex, address, phone, email, spouse, children
    )


def _child(iin: str, names: str, home: Address) -> Person:
    return _adult(iin, names, home, phone="")


_CITIZEN_CHILDREN = (CITIZEN_SON, CITIZEN_DAUGHTER)

DEMO_PEOPLE: dict[str, Person] = {
    person.iin: person
    for person in (
        _adult(CITIZEN, "Серикбаев Айдос Нурланович", CITIZEN_HOME, "+77012345678", "aidos@portal.localhost",
               spouse=CITIZEN_SPOUSE, children=_CITIZEN_CHILDREN),
        _adult(CITIZEN_SPOUSE, "Серикбаева Аружан Маратовна", CITIZEN_HOME, "+77023456789",
               spouse=CITIZEN, children=_CITIZEN_CHILDREN),
        _child(CITIZEN_SON, "Серикбаев Алихан Айдосович", CITIZEN_HOME),
        _child(CITIZEN_DAUGHTER, "Серикбаева Амина Айдосовна", CITIZEN_HOME),
        _adult(CONVICTED, "Касымов Ержан Болатович", Address("karaganda", "г. Караганда", "ул. Гоголя", "21", 8),
               "+77051234567"),
        _adult(NEEDS_MANUAL_CHECK, "Ахметова Сауле Кайратовна",
               Address("pavlodar", "г. Павлодар", "ул. Сатпаева", "112", 54), "+77071234567",
               "saule.akhmetova@mail.kz"),
        _adult(HOME_OWNER, "Жакупова Гульнара Серикқызы", HOME_OWNER_FLAT, "+77771234567",
               "gulnara.zhakupova@mail.kz"),
        _adult(OWNS_NOTHING, "Оспанов Данияр Асхатович", Address("astana", "г. Астана", "пр. Республики", "7", 101),
               "+77781234567", "daniyar.ospanov@gmail.com"),
        _adult(ENTREPRENEUR_WITH_ARREARS, "Абенов Марат Ерланович",
               Address("shymkent", "г. Шымкент", "ул. Байтурсынова", "33"), "+77011112233"),
        _adult(ENTREPRENEUR_WITHOUT_ARREARS, "Искакова Динара Маратовна",
               Address("aktobe", "г. Актобе", "ул. Абая", "5", 27), "+77761234567", "dinara.iskakova@inbox.kz"),
        _adult(LARGE_FAMILY_MOTHER, "Нурпеисова Мадина Ерлановна", _LARGE_FAMILY_HOME, "+77471234567",
               children=LARGE_FAMILY_CHILDREN),
        _child(LARGE_FAMILY_CHILDREN[0], "Нурпеисов Арман Болатович", _LARGE_FAMILY_HOME),
        _child(LARGE_FAMILY_CHILDREN[1], "Нурпеисова Айша Болатовна", _LARGE_FAMILY_HOME),
        _child(LARGE_FAMILY_CHILDREN[2], "Нурпеисов Нурислам Болатович", _LARGE_FAMILY_HOME),
        _child(LARGE_FAMILY_CHILDREN[3], "Нурпеисова Томирис Болатовна", _LARGE_FAMILY_HOME),
    )
}  # fmt: skip

DEMO_CRIMINAL_RECORDS: dict[str, CriminalRecord | None] = {iin: None for iin in DEMO_PEOPLE} | {
    CONVICTED: CriminalRecord(
        CONVICTED, CriminalRecordKind.CONVICTION, date(2012, 10, 3), "188", "Кража (ст. 188 ч. 2 УК РК)"
    ),
    NEEDS_MANUAL_CHECK: CriminalRecord(
        NEEDS_MANUAL_CHECK,
        CriminalRecordKind.NEEDS_MANUAL_CHECK,
        date(1999, 5, 17),
        "",
        "Совпадение ФИО и даты рождения с лицом из архивной картотеки, требуется сверка",
    ),
}

DEMO_PROPERTIES: dict[str, tuple[Property, ...]] = {iin: () for iin in DEMO_PEOPLE} | {
    CITIZEN: (Property("21:320:045:123:1/15", PropertyKind.APARTMENT, CITIZEN_HOME, CITIZEN, 78.4),),
    HOME_OWNER: (
        Property("20:311:027:456:3/12", PropertyKind.APARTMENT, HOME_OWNER_FLAT, HOME_OWNER, 64.0),
        Property("03:045:112:789", PropertyKind.HOUSE, _HOME_OWNER_HOUSE, HOME_OWNER, 146.5),
    ),
}

DEMO_ENTREPRENEURS: dict[str, Entrepreneur | None] = {iin: None for iin in DEMO_PEOPLE} | {
    ENTREPRENEUR_WITH_ARREARS: Entrepreneur(
        ENTREPRENEUR_WITH_ARREARS, date(2015, 3, 10), "49410", "ИП «Абенов»", 187_450
    ),
    ENTREPRENEUR_WITHOUT_ARREARS: Entrepreneur(
        ENTREPRENEUR_WITHOUT_ARREARS, date(2019, 8, 1), "47190", "ИП «Динара»", 0
    ),
}

DEMO_VEHICLES: dict[str, Vehicle] = {
    CLEAN_VIN: Vehicle(CLEAN_VIN, "Lada", "Granta", 2019, HOME_OWNER, stolen=False, encumbered=False),
    STOLEN_VIN: Vehicle(STOLEN_VIN, "Toyota", "Corolla", 2002, CONVICTED, stolen=True, encumbered=False),
}


@dataclass(frozen=True)
class DemoGuideEntry:
    key: str  # an IIN or a VIN
    who: str
    expect: str


DEMO_GUIDE: tuple[DemoGuideEntry, ...] = (
    DemoGuideEntry(
        CITIZEN,
        "Aidos Serikbayev (Серикбаев Айдос Нурланович), b. 1990-01-01, the demo citizen; Astana",
        "Clean criminal record: criminal-record certificate issued automatically. Owns the flat he lives in "
        f"(“{CITIZEN_HOME.text}”, cadastral no. 21:320:045:123:1/15): real-estate certificate pre-filled and "
        "issued; residence registration naming himself as owner needs no consent. Not an entrepreneur: IE "
        f"registration passes that check. Married to {CITIZEN_SPOUSE}: marriage registration refused "
        f"(already married). Two children, {CITIZEN_SON} (b. 2016) and {CITIZEN_DAUGHTER} (b. 2019-09-02, "
        "so 7 from 2026-09-02: kindergarten list refused as over age after that); large-family allowance "
        "refused (2 children). Every pre-filled field of every form is filled in for him.",
    ),
    DemoGuideEntry(
        CITIZEN_SPOUSE,
        "Aruzhan Serikbayeva, b. 1992-03-15, the demo citizen's wife",
        "Same address and children as the demo citizen, married to him; no record, property or business.",
    ),
    DemoGuideEntry(
        CONVICTED,
        "Yerzhan Kassymov, b. 1985-07-14, Karaganda",
        "Conviction (art. 188, theft, 2012): criminal-record certificate not issued automatically; the "
        "request goes to an officer.",
    ),
    DemoGuideEntry(
        NEEDS_MANUAL_CHECK,
        "Saule Akhmetova, b. 1978-11-03, Pavlodar",
        "Needs-manual-check flag (a namesake in the archive), no conviction: criminal-record certificate goes "
        "to an officer (5 working days).",
    ),
    DemoGuideEntry(
        HOME_OWNER,
        "Gulnara Zhakupova, b. 1965-04-22, owns a flat in Almaty (her home) and a house in Talgar",
        f"Residence registration at “{HOME_OWNER_FLAT.text}” naming her (owner IIN {HOME_OWNER}): she owns it, "
        "so her consent is asked by SMS; registered once she consents, refused if she refuses or does not "
        f"answer in time. Current owner of vehicle {CLEAN_VIN}.",
    ),
    DemoGuideEntry(
        OWNS_NOTHING,
        "Daniyar Ospanov, b. 2001-02-10, rents in Astana",
        "Owns no property: residence registration naming him as owner refused; his own real-estate "
        "certificate refused (no registered right).",
    ),
    DemoGuideEntry(
        ENTREPRENEUR_WITH_ARREARS,
        "Marat Abenov, b. 1980-06-30, Shymkent; entrepreneur since 2015-03-10 (activity 49410, road freight)",
        "IE registration and unemployment registration refused (already an entrepreneur); owes 187,450 KZT, "
        "so no no-tax-arrears certificate can be issued.",
    ),
    DemoGuideEntry(
        ENTREPRENEUR_WITHOUT_ARREARS,
        "Dinara Iskakova, b. 1988-12-05, Aktobe; entrepreneur since 2019-08-01 (activity 47190, retail)",
        "IE registration refused (already an entrepreneur); owes nothing: no-tax-arrears certificate issued.",
    ),
    DemoGuideEntry(
        LARGE_FAMILY_MOTHER,
        "Madina Nurpeisova, b. 1983-08-19, Shiyeli (Kyzylorda Region), mother of four",
        f"Four children ({', '.join(LARGE_FAMILY_CHILDREN)}): large-family allowance passes the children "
        f"check. Newborn {NEWBORN} (b. 2025-10-05): childbirth benefit and kindergarten list pass the "
        "child checks.",
    ),
    DemoGuideEntry(
        CLEAN_VIN,
        "Lada Granta 2019 (VIN), owned by Gulnara Zhakupova",
        f"Vehicle registration with previous owner {HOME_OWNER}: not stolen, not encumbered.",
    ),
    DemoGuideEntry(
        STOLEN_VIN,
        "Toyota Corolla 2002 (VIN), reported stolen",
        "Vehicle registration refused (vehicle wanted).",
    ),
)


def demo_guide_markdown() -> str:
    """The demo guide as a Markdown table: key, who, what to expect."""
    lines = ["| IIN / VIN | Who | What to expect |", "|---|---|---|"]
    lines += [f"| `{entry.key}` | {entry.who} | {entry.expect} |" for entry in DEMO_GUIDE]
    return "\n".join(lines) + "\n"
