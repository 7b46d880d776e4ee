"""Names for the population registry: Kazakh and Russian first names and surnames in Cyrillic,
patronymics built from a father's name, and a Latin transliteration for e-mail addresses."""

import random
from dataclasses import dataclass

# Share of people with Kazakh names; the rest have Russian ones.
KAZAKH_NAME_SHARE = 0.72
# Among Kazakh names: share of patronymics written the Kazakh way ("Нурланұлы") and share with none.
KAZAKH_STYLE_PATRONYMIC_SHARE = 0.15
NO_PATRONYMIC_SHARE = 0.04

# fmt: off
# Male first names end in a consonant or in -й, so that the patronymic rules below hold for all of them.
KAZAKH_MALE_NAMES = (
    "Айдос", "Нурлан", "Серик", "Ерлан", "Асхат", "Бауыржан", "Даурен", "Марат", "Болат", "Ержан",
    "Канат", "Азамат", "Мурат", "Арман", "Берик", "Дамир", "Жандос", "Ильяс", "Кайрат", "Мейрам",
    "Нуржан", "Олжас", "Руслан", "Самат", "Талгат", "Тимур", "Ерболат", "Бахыт", "Ринат", "Данияр",
    "Жанибек", "Алмас", "Асет", "Галым", "Ермек", "Максат",
)
KAZAKH_FEMALE_NAMES = (
    "Айгерим", "Гульнара", "Динара", "Жанар", "Айжан", "Асель", "Меруерт", "Сауле", "Алия", "Аружан",
    "Дана", "Камила", "Мадина", "Назерке", "Салтанат", "Томирис", "Жибек", "Гаухар", "Акмарал", "Айнур",
    "Ботагоз", "Жулдыз", "Карлыгаш", "Ляззат", "Сабина", "Аяжан", "Индира", "Лаура", "Шолпан", "Балжан",
)
RUSSIAN_MALE_NAMES = (
    "Александр", "Сергей", "Андрей", "Алексей", "Дмитрий", "Николай", "Иван", "Владимир", "Олег", "Роман",
    "Денис", "Максим", "Виктор", "Антон", "Артём", "Вадим", "Константин", "Станислав", "Степан", "Тимофей",
    "Борис", "Глеб", "Кирилл", "Матвей", "Эдуард", "Игнат",
)
RUSSIAN_FEMALE_NAMES = (
    "Анна", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Екатерина", "Мария", "Юлия",
    "Анастасия", "Дарья", "Виктория", "Людмила", "Галина", "Надежда", "Ксения", "Полина", "Алина", "Вера",
    "Любовь", "Марина", "Оксана", "Валентина", "Евгения", "Софья",
)
# Male forms; every one ends in -ов, -ев or -ин, so the female form adds "а".
KAZAKH_SURNAMES = (
    "Серикбаев", "Нурпеисов", "Ахметов", "Жумабаев", "Касымов", "Омаров", "Сулейменов", "Тулегенов",
    "Абенов", "Бекмухамбетов", "Искаков", "Садыков", "Байжанов", "Кенжебаев", "Мукашев", "Утепов",
    "Есенов", "Амангельдиев", "Жакупов", "Нургалиев", "Оспанов", "Калиев", "Ермеков", "Смагулов",
    "Абдрахманов", "Мусин", "Бектуров", "Шайкенов", "Сарсенбаев", "Турсунов",
)
RUSSIAN_SURNAMES = (
    "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков",
    "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
    "Степанов", "Николаев", "Орлов", "Захаров", "Зайцев", "Белов",
)

_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i",
}
# fmt: on


@dataclass(frozen=True)
class FullName:
    last_name: str
    first_name: str
    patronymic: str


def random_full_name(rng: random.Random, *, female: bool) -> FullName:
    """A plausible name for a man or a woman: first name, surname and patronymic of one tradition."""
    kazakh = rng.random() < KAZAKH_NAME_SHARE
    if kazakh:
        first_names = KAZAKH_FEMALE_NAMES if female else KAZAKH_MALE_NAMES
        surnames, fathers = KAZAKH_SURNAMES, KAZAKH_MALE_NAMES
    else:
        first_names = RUSSIAN_FEMALE_NAMES if female else RUSSIAN_MALE_NAMES
        surnames, fathers = RUSSIAN_SURNAMES, RUSSIAN_MALE_NAMES
    first_name = rng.choice(first_names)
    last_name = surname_for(rng.choice(surnames), female=female)
    style = rng.random()
    father = rng.choice(fathers)
    if kazakh and style < NO_PATRONYMIC_SHARE:
        patronymic = ""
    elif kazakh and style < NO_PATRONYMIC_SHARE + KAZAKH_STYLE_PATRONYMIC_SHARE:
        patronymic = father + ("қызы" if female else "ұлы")
    else:
        patronymic = patronymic_from(father, female=female)
    return FullName(last_name, first_name, patronymic)


def surname_for(male_surname: str, *, female: bool) -> str:
    """The surname in the form for the person's sex: Ахметов -> Ахметова."""
    return male_surname + "а" if female else male_surname


def patronymic_from(father_name: str, *, female: bool) -> str:
    """A Russian-style patronymic: Нурлан -> Нурланович / Нурлановна, Сергей -> Сергеевич / Сергеевна."""
    if father_name.endswith("й"):
        return father_name[:-1] + ("евна" if female else "евич")
    return father_name + ("овна" if female else "ович")


def latin(text: str) -> str:
    """A lower-case Latin transliteration of Cyrillic (Russian and Kazakh letters), for e-mail addresses."""
    return "".join(_LATIN.get(char, char) for char in text.lower())
