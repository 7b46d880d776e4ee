from services.documents.codes import ALPHABET, LENGTH, format_code, generate_code, normalize_code


def test_codes_are_20_unambiguous_characters_and_do_not_repeat():
    codes = {generate_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == LENGTH == 20 for code in codes)
    assert set("".join(codes)) <= set(ALPHABET)
    assert not set("ILOU") & set(ALPHABET)
    assert LENGTH * 5 >= 100  # bits of randomness


def test_a_typed_code_is_read_the_way_its_reader_meant_it():
    assert normalize_code("abcd-efgh jkmn-pqrs-tvwx") == "ABCDEFGHJKMNPQRSTVWX"
    assert normalize_code("O1IL-0000-0000-0000-0000") == "0111" + "0" * 16
    assert normalize_code(format_code("ABCDEFGHJKMNPQRSTVWX")) == "ABCDEFGHJKMNPQRSTVWX"


def test_what_cannot_be_a_code_is_refused():
    for text in [
        "",
        "ABC",
        "ABCDEFGHJKMNPQRSTVWXY",
        "ABCDEFGHJKMNPQRSTVWU",
        "../../etc/passwd",
        "ABCDEFGHJKMNPQRSTVW!",
    ]:
        assert normalize_code(text) is None, text


def test_codes_are_printed_in_groups_of_four():
    assert format_code("ABCDEFGHJKMNPQRSTVWX") == "ABCD-EFGH-JKMN-PQRS-TVWX"
