"""The data card and the definitions stay true to the data."""
import csv

import pytest

from tradelib import datacard, paths


def test_data_card_matches_the_data(data):
    text = (paths.DATA_DIR / "README.md").read_text(encoding="utf-8")
    block = text[text.index(datacard.BEGIN):text.index(datacard.END) + len(datacard.END)]
    assert block == datacard.markdown(data), "run: python -m tradelib.datacard"


def test_asean_membership_as_of_dates(data):
    g = data.groups[data.groups.group == "ASEAN"]
    def members(on):
        return set(g[(g.valid_from <= on) & ((g.valid_to == "") | (g.valid_to >= on))].member)
    assert len(members("2025-10-25")) == 10
    assert members("2025-10-26") == members("2025-10-25") | {"TLS"}
    assert "KHM" not in members("1998-12-31") and "KHM" in members("1999-04-30")


def test_new_trio_basket_across_hs_versions(data):
    b = data.baskets[data.baskets.basket == "NEW_TRIO"]
    hs22 = set(b[b.hs_version == "HS2022"].hs_code)
    hs17 = set(b[b.hs_version == "HS2017"].hs_code)
    assert {"870380", "850760", "854142", "854143"} <= hs22 and "854140" not in hs22
    assert "854140" in hs17 and not {"854142", "854143"} & hs17


BACI = paths.SHARED_DATA_DIR / "baci_codes_V202501" / "product_codes_HS22_V202501.csv"


@pytest.mark.skipif(not BACI.exists(), reason="shared CEPII BACI code list not present")
def test_hs2022_basket_codes_exist_in_the_baci_hs22_list(data):
    with open(BACI, newline="", encoding="utf-8") as fh:
        codes = {row["code"].zfill(6) for row in csv.DictReader(fh)}
    hs22 = set(data.baskets[data.baskets.hs_version == "HS2022"].hs_code)
    assert hs22 and hs22 <= codes
