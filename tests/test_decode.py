import pytest

from indexer.documents.decode import UndecodableError, decode_bytes

RUSSIAN = "Министерство цифрового развития, связи и массовых коммуникаций Российской Федерации. Рашид Исмаилов."
WESTERN = "Café déjà vu: naïve résumé of the Zürich meeting in São Paulo, with Ångström and Æsir."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "koi8-r"])
def test_russian_text_comes_out_right(encoding):
    assert decode_bytes(RUSSIAN.encode(encoding)) == RUSSIAN


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])
def test_western_text_comes_out_right(encoding):
    assert decode_bytes(WESTERN.encode(encoding)) == WESTERN


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        b"\x7fELF\x02\x01\x01\x00" + bytes(200),
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)),
    ],
)
def test_binary_content_is_refused(data):
    with pytest.raises(UndecodableError, match="binary content"):
        decode_bytes(data)
