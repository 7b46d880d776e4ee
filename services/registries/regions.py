"""Kazakhstan's 17 regions and 3 cities of republican significance: the one place for their codes,
names in the portal's three languages, population weights and main localities.

The codes are the values of the region fields in the catalogue's forms. Populations are the rough
figures of REFERENCE.md section 7 (millions, for simulation shares only, not official statistics).
"""

import random
from dataclasses import dataclass

from services.i18n import current_language

CITY_CODES = frozenset({"astana", "almaty_city", "shymkent"})


@dataclass(frozen=True)
class Region:
    code: str
    name_kk: str
    name_ru: str
    name_en: str
    population_millions: float
    # Localities as written in an address, the administrative centre first.
    localities: tuple[str, ...]
    # Two-digit prefix of cadastral numbers (modelled on the legal cadastre's numbering of the
    # pre-2022 regions; the regions formed in 2022 take the next free numbers).
    cadastre_code: int

    @property
    def name(self) -> str:
        """The region's name in the active language."""
        return getattr(self, f"name_{current_language()}")

    @property
    def is_city(self) -> bool:
        """A city of republican significance, which is its own region."""
        return self.code in CITY_CODES


# fmt: off
REGIONS: tuple[Region, ...] = (
    Region("astana", "Астана қаласы", "город Астана", "Astana city", 1.4, ("г. Астана",), 21),
    Region("almaty_city", "Алматы қаласы", "город Алматы", "Almaty city", 2.2, ("г. Алматы",), 20),
    Region("shymkent", "Шымкент қаласы", "город Шымкент", "Shymkent city", 1.2, ("г. Шымкент",), 22),
    Region("abai", "Абай облысы", "область Абай", "Abai Region", 0.6,
           ("г. Семей", "г. Аягоз", "г. Курчатов", "с. Караул"), 23),
    Region("akmola", "Ақмола облысы", "Акмолинская область", "Akmola Region", 0.8,
           ("г. Кокшетау", "г. Степногорск", "г. Щучинск", "г. Косшы", "г. Акколь"), 1),
    Region("aktobe", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region", 0.9,
           ("г. Актобе", "г. Хромтау", "г. Кандыагаш", "г. Шалкар"), 2),
    Region("almaty_region", "Алматы облысы", "Алматинская область", "Almaty Region", 1.5,
           ("г. Конаев", "г. Каскелен", "г. Талгар", "г. Есик", "с. Узынагаш"), 3),
    Region("atyrau", "Атырау облысы", "Атырауская область", "Atyrau Region", 0.7,
           ("г. Атырау", "г. Кульсары", "с. Махамбет", "с. Индерборский"), 4),
    Region("east_kazakhstan", "Шығыс Қазақстан облысы", "Восточно-Казахстанская область",
           "East Kazakhstan Region", 0.75, ("г. Усть-Каменогорск", "г. Риддер", "г. Алтай", "г. Зайсан"), 5),
    Region("jambyl", "Жамбыл облысы", "Жамбылская область", "Jambyl Region", 1.2,
           ("г. Тараз", "г. Шу", "г. Каратау", "с. Мерке"), 6),
    Region("jetisu", "Жетісу облысы", "область Жетісу", "Jetisu Region", 0.7,
           ("г. Талдыкорган", "г. Текели", "г. Жаркент", "г. Ушарал"), 24),
    Region("karaganda", "Қарағанды облысы", "Карагандинская область", "Karaganda Region", 1.1,
           ("г. Караганда", "г. Темиртау", "г. Балхаш", "г. Шахтинск", "г. Сарань"), 8),
    Region("kostanay", "Қостанай облысы", "Костанайская область", "Kostanay Region", 0.8,
           ("г. Костанай", "г. Рудный", "г. Лисаковск", "г. Аркалык"), 9),
    Region("kyzylorda", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region", 0.8,
           ("г. Кызылорда", "г. Аральск", "г. Казалинск", "с. Шиели"), 10),
    Region("mangystau", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region", 0.8,
           ("г. Актау", "г. Жанаозен", "с. Бейнеу", "с. Шетпе"), 11),
    Region("north_kazakhstan", "Солтүстік Қазақстан облысы", "Северо-Казахстанская область",
           "North Kazakhstan Region", 0.55, ("г. Петропавловск", "г. Булаево", "г. Сергеевка", "г. Мамлютка"), 13),
    Region("pavlodar", "Павлодар облысы", "Павлодарская область", "Pavlodar Region", 0.75,
           ("г. Павлодар", "г. Экибастуз", "г. Аксу"), 12),
    Region("turkistan", "Түркістан облысы", "Туркестанская область", "Turkistan Region", 2.1,
           ("г. Туркестан", "г. Кентау", "г. Арысь", "г. Сарыагаш", "г. Жетысай"), 14),
    Region("ulytau", "Ұлытау облысы", "область Ұлытау", "Ulytau Region", 0.2,
           ("г. Жезказган", "г. Сатпаев", "г. Каражал"), 25),
    Region("west_kazakhstan", "Батыс Қазақстан облысы", "Западно-Казахстанская область",
           "West Kazakhstan Region", 0.7, ("г. Уральск", "г. Аксай", "с. Переметное", "с. Жымпиты"), 7),
)
# fmt: on

REGION_CODES: tuple[str, ...] = tuple(region.code for region in REGIONS)
_BY_CODE = {region.code: region for region in REGIONS}
_WEIGHTS = tuple(region.population_millions for region in REGIONS)


def region_by_code(code: str) -> Region:
    """The region with this code; KeyError for an unknown one."""
    return _BY_CODE[code]


def population_shares() -> dict[str, float]:
    """Region code -> its share of the country's population (the shares sum to 1)."""
    total = sum(_WEIGHTS)
    return {region.code: region.population_millions / total for region in REGIONS}


def draw_region(rng: random.Random) -> Region:
    """A region drawn with `rng`, each as likely as its share of the population."""
    return rng.choices(REGIONS, weights=_WEIGHTS)[0]
