"""Trade measures over aggregated records: hand-computed fixtures and property tests.

Every fixture here is SYNTHETIC (made-up small numbers, worked out by hand in the comments), except the
comparison with the HS code list in ../shared/data, which is read in place and skipped when absent.
"""
import csv
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradelib import paths, sources
from tradelib.records import measures as m

S = pd.Series
approx = pytest.approx


class _Definitions:
    """The bundled groups.csv and baskets.csv, read as tradelib.sources reads them."""

    def __init__(self):
        self.groups = sources.read_csv_rows(paths.GROUPS_CSV, sources.GROUP_COLUMNS)
        self.baskets = sources.read_csv_rows(paths.BASKETS_CSV, sources.BASKET_COLUMNS)


@pytest.fixture(scope="module")
def definitions():
    return _Definitions()


# ------------------------------------------------------------------------------------------- growth

def test_growth_scalars():
    assert m.growth(110, 100) == approx(10.0)          # 110/100 - 1 = +10 %
    assert m.growth(75, 100) == approx(-25.0)          # 75/100 - 1 = -25 %
    assert math.isnan(m.growth(5, 0))                  # zero base: undefined
    assert math.isnan(m.growth(5, None))               # missing base
    assert math.isnan(m.growth(float("nan"), 100))     # missing current
    assert math.isnan(m.growth(5, -10))                # negative base: no meaningful growth


def test_growth_series_aligns_and_never_returns_inf():
    cur = S({"CHN": 120.0, "USA": 5.0, "DEU": 30.0})
    prev = S({"CHN": 100.0, "USA": 0.0, "JPN": 8.0})
    g = m.growth(cur, prev)
    assert g["CHN"] == approx(20.0)                    # 120/100 - 1
    assert math.isnan(g["USA"])                        # zero base
    assert math.isnan(g["DEU"]) and math.isnan(g["JPN"])  # one side missing
    assert not np.isinf(g).any()


def test_growth_refuses_text():
    with pytest.raises(ValueError, match="current must be a number"):
        m.growth("a lot", 100)


# ------------------------------------------------------------------------------------------- shares

def test_shares_of_the_sum_and_of_a_given_total():
    v = S({"USA": 30.0, "JPN": 10.0, "KOR": 10.0})
    assert m.shares(v).to_dict() == approx({"USA": 60.0, "JPN": 20.0, "KOR": 20.0})   # 30/50, 10/50
    # against the published world total 200: 30/200 = 15 %
    assert m.shares(v, total=200).to_dict() == approx({"USA": 15.0, "JPN": 5.0, "KOR": 5.0})


def test_shares_zero_total_and_missing_value():
    assert m.shares(S({"a": 0.0, "b": 0.0})).isna().all()
    s = m.shares(S({"a": 1.0, "b": np.nan, "c": 3.0}))  # total 4 (missing left out of the sum)
    assert s["a"] == approx(25.0) and s["c"] == approx(75.0) and math.isnan(s["b"])


# ------------------------------------------------------------------------------------------- contributions

def test_contributions_with_partners_appearing_and_disappearing():
    prev = S({"USA": 50.0, "JPN": 30.0, "RUS": 20.0})   # total 100
    cur = S({"USA": 60.0, "JPN": 24.0, "IND": 26.0})    # total 110: growth +10 %
    c = m.contributions(cur, prev)
    # USA (60-50)/100 = +10; JPN (24-30)/100 = -6; RUS (0-20)/100 = -20 (gone); IND (26-0)/100 = +26 (new)
    assert c.to_dict() == approx({"USA": 10.0, "JPN": -6.0, "RUS": -20.0, "IND": 26.0})
    assert c.sum() == approx(m.growth(110, 100))         # 10 pp = 10 %


def test_contributions_of_a_subset_against_the_published_total():
    c = m.contributions(S({"USA": 60.0}), S({"USA": 50.0}), total_previous=400)
    assert c["USA"] == approx(2.5)                       # (60-50)/400*100


def test_contributions_zero_base_and_unknown_value():
    assert m.contributions(S({"a": 5.0}), S({"a": 0.0})).isna().all()
    c = m.contributions(S({"a": np.nan, "b": 3.0}), S({"a": 1.0, "b": 1.0}))
    assert math.isnan(c["a"]) and c["b"] == approx(100.0)   # (3-1)/2


def test_contributions_refuse_duplicated_items():
    with pytest.raises(ValueError, match="more than one value for 'a'"):
        m.contributions(S([1.0, 2.0], index=["a", "a"]), S({"a": 1.0}))


# ------------------------------------------------------------------------------------------- concentration

def test_hhi_hand_computed():
    v = S({"USA": 50.0, "JPN": 30.0, "KOR": 20.0})
    # shares .5 .3 .2 -> H = .25 + .09 + .04 = .38
    assert m.hhi(v) == approx(0.38)
    # normalised with n = 3: (.38 - 1/3) / (1 - 1/3) = 0.046667 / 0.666667 = 0.07
    assert m.hhi_normalized(v) == approx(0.07)
    # normalised on a classification of 10 parts: (.38 - .1) / .9 = 0.311111
    assert m.hhi_normalized(v, n=10) == approx(0.28 / 0.9)
    assert m.equivalent_number(v) == approx(1 / 0.38)    # 2.63 equal-sized partners


def test_hhi_bounds_and_undefined_cases():
    assert m.hhi(S([7.0, 7.0, 7.0, 7.0])) == approx(0.25)          # 1/n for equal parts
    assert m.hhi_normalized(S([7.0, 7.0, 7.0, 7.0])) == approx(0.0)
    assert m.hhi(S([0.0, 9.0])) == approx(1.0)                     # one partner
    assert math.isnan(m.hhi_normalized(S([9.0])))                  # n = 1: (H - 1)/(1 - 1)
    assert math.isnan(m.hhi(S([1.0, np.nan])))                     # incomplete distribution
    assert math.isnan(m.hhi(S([0.0, 0.0])))
    assert math.isnan(m.equivalent_number(S([0.0, 0.0])))
    with pytest.raises(ValueError, match="negative values"):
        m.hhi(S({"a": 3.0, "b": -1.0}))


def test_hhi_per_reporter():
    idx = pd.MultiIndex.from_tuples([("A", "x"), ("A", "y"), ("B", "x"), ("B", "y"), ("B", "z")],
                                    names=["reporter", "partner"])
    v = S([1.0, 1.0, 2.0, 1.0, 1.0], index=idx)
    h = m.hhi(v, by="reporter")
    # A: .5^2 + .5^2 = .5; B: shares .5 .25 .25 -> .25 + .0625 + .0625 = .375
    assert h.to_dict() == approx({"A": 0.5, "B": 0.375})
    hn = m.hhi_normalized(v, by="reporter")
    # A: (.5 - .5)/.5 = 0; B: (.375 - 1/3)/(2/3) = 0.0625
    assert hn.to_dict() == approx({"A": 0.0, "B": 0.0625})
    assert m.equivalent_number(v, by="reporter").to_dict() == approx({"A": 2.0, "B": 1 / 0.375})


# ------------------------------------------------------------------------------------------- comparative advantage

def _exports():
    # reporter A exports 30 of p and 10 of q; B 20 of p and 40 of q; world = 50 p + 50 q = 100
    return pd.DataFrame({"reporter": ["A", "A", "B", "B"], "product": ["p", "q", "p", "q"],
                         "value": [30.0, 10.0, 20.0, 40.0]})


def test_rca_against_world_totals_from_the_data():
    r = m.rca(_exports()).set_index(["reporter", "product"])["rca"]
    # A p: (30/40) / (50/100) = .75/.5 = 1.5; A q: (10/40)/.5 = .5
    # B p: (20/60)/.5 = 0.6667;            B q: (40/60)/.5 = 1.3333
    assert r.to_dict() == approx({("A", "p"): 1.5, ("A", "q"): 0.5, ("B", "p"): 2 / 3, ("B", "q"): 4 / 3})


def test_rca_against_a_user_world_table():
    world = pd.DataFrame({"product": ["p", "q", "z"], "value": [100.0, 300.0, 600.0]})   # X_w = 1000
    r = m.rca(_exports(), world).set_index(["reporter", "product"])["rca"]
    # A p: (30/40)/(100/1000) = .75/.1 = 7.5; B q: (40/60)/(300/1000) = 2.2222
    assert r[("A", "p")] == approx(7.5)
    assert r[("B", "q")] == approx((40 / 60) / 0.3)


def test_rca_undefined_and_bad_input():
    x = pd.DataFrame({"reporter": ["A", "B"], "product": ["p", "q"], "value": [0.0, 5.0]})
    r = m.rca(x, pd.DataFrame({"product": ["q"], "value": [10.0]})).set_index("reporter")["rca"]
    assert math.isnan(r["A"])           # A exports nothing, and p is not in the world table
    assert r["B"] == approx(1.0)        # (5/5)/(10/10)
    with pytest.raises(ValueError, match="more than one row for A p"):
        m.rca(pd.concat([_exports(), _exports().iloc[:1]]))
    with pytest.raises(ValueError, match="lacks column"):
        m.rca(_exports().rename(columns={"value": "v"}))


# ------------------------------------------------------------------------------------------- prices and volumes

def test_unit_values():
    assert m.unit_values(100, 4) == approx(25.0)
    assert math.isnan(m.unit_values(100, 0)) and math.isnan(m.unit_values(100, None))
    uv = m.unit_values(S({"a": 10.0, "b": 9.0, "c": 1.0}), S({"a": 2.0, "b": np.nan, "c": 0.0}))
    assert uv["a"] == approx(5.0) and uv[["b", "c"]].isna().all()


def test_price_volume_hand_computed():
    # product p: 10 t at 10 $/t -> 11 t at 120/11 $/t; q: 5 items at 10 $ -> 5 items at 8 $
    v0, q0 = S({"p": 100.0, "q": 50.0}), S({"p": 10.0, "q": 5.0})
    v1, q1 = S({"p": 120.0, "q": 40.0}), S({"p": 11.0, "q": 5.0})
    pv = m.price_volume(v0, q0, v1, q1)
    p = pv.products
    # exact log split per product: ln(120/100) = ln((120/11)/10) + ln(11/10)
    assert p.loc["p", "log_value"] == approx(math.log(1.2))
    assert p.loc["p", "log_price"] + p.loc["p", "log_volume"] == approx(math.log(1.2))
    assert p.loc["q", "log_volume"] == approx(0.0) and p.loc["q", "log_price"] == approx(math.log(0.8))
    # value index 160/150 = 1.066667
    assert pv.value_index == approx(160 / 150)
    # Laspeyres price: (120/11*10 + 8*5)/150 = (109.0909 + 40)/150 = 0.993939
    # Paasche price: 160/(10*11 + 10*5) = 160/160 = 1.0  -> Fisher sqrt(.993939*1) = 0.996965
    assert pv.price_index == approx(math.sqrt((1200 / 11 + 40) / 150))
    # Laspeyres volume: (10*11 + 10*5)/150 = 1.066667; Paasche volume: 160/149.0909 = 1.073171
    assert pv.volume_index == approx(math.sqrt((160 / 150) * (160 / (1200 / 11 + 40))))
    assert pv.price_index * pv.volume_index == approx(pv.value_index)
    assert (pv.coverage_previous, pv.coverage_current, pv.n_usable) == (approx(100.0), approx(100.0), 2)


def test_price_volume_coverage_units_and_nothing_usable():
    v0, q0 = S({"p": 100.0, "q": 50.0, "r": 50.0}), S({"p": 10.0, "q": 5.0, "r": np.nan})
    v1, q1 = S({"p": 120.0, "q": 40.0, "r": 40.0}), S({"p": 11.0, "q": 5.0, "r": 3.0})
    u0, u1 = S({"p": "t", "q": "u", "r": "kg"}), S({"p": "t", "q": "kg", "r": "kg"})
    pv = m.price_volume(v0, q0, v1, q1, u0, u1)
    # q changed unit (u -> kg), r has no quantity before: only p is usable
    assert list(pv.products.index[pv.products["usable"]]) == ["p"]
    assert pv.coverage_previous == approx(50.0)          # 100 of 200
    assert pv.coverage_current == approx(60.0)           # 120 of 200
    assert pv.value_index == approx(1.2) and pv.volume_index == approx(1.1)
    assert pv.price_index == approx(1.2 / 1.1)
    empty = m.price_volume(S({"a": 1.0}), S({"a": 0.0}), S({"a": 2.0}), S({"a": 1.0}))
    assert math.isnan(empty.value_index) and empty.n_usable == 0 and empty.coverage_previous == approx(0.0)
    with pytest.raises(ValueError, match="give both unit0 and unit1"):
        m.price_volume(v0, q0, v1, q1, unit0=u0)


# ------------------------------------------------------------------------------------------- mirror

def test_mirror_with_and_without_cif_fob():
    reported = S({"USA": 100.0, "JPN": 50.0, "KOR": 0.0})
    partners = S({"USA": 110.0, "JPN": 45.0, "VNM": 7.0})
    t = m.mirror(reported, partners)
    assert t.loc["USA", "gap"] == approx(10.0) and t.loc["USA", "gap_pct"] == approx(10.0)   # 110-100
    assert t.loc["JPN", "gap_pct"] == approx(-10.0)                                          # (45-50)/50
    assert math.isnan(t.loc["KOR", "mirror"]) and math.isnan(t.loc["KOR", "gap_pct"])
    assert math.isnan(t.loc["VNM", "reported"]) and math.isnan(t.loc["VNM", "gap"])        # missing is not zero
    f = m.mirror(reported, partners, cif_fob=1.1)
    assert f.loc["USA", "mirror_fob"] == approx(100.0)                                       # 110/1.1
    assert f.loc["USA", "gap"] == approx(0.0)
    with pytest.raises(ValueError, match="cif_fob must be a positive ratio"):
        m.mirror(reported, partners, cif_fob=0)


# ------------------------------------------------------------------------------------------- extensive margin

def test_extensive_margin_from_values_and_from_keys():
    cur = S({"8542": 5.0, "8541": 0.0, "8703": 2.0, "2709": np.nan})
    prev = S({"8542": 4.0, "8541": 1.0, "2709": 3.0})
    mg = m.extensive_margin(cur, prev)
    # traded now: 8542, 8703; before: 8542, 8541, 2709
    assert (mg.current, mg.previous, mg.new, mg.lost, mg.continuing) == (2, 3, 1, 2, 1)
    assert mg.new_items == ("8703",) and mg.lost_items == ("2709", "8541")
    assert mg.as_series().to_dict() == {"current": 2, "previous": 3, "new": 1, "lost": 2, "continuing": 1}
    assert m.extensive_margin({"USA", "JPN"}, ["USA"]).new == 1


# ------------------------------------------------------------------------------------------- groups and baskets

def test_by_group_with_as_of_dates():
    groups = pd.DataFrame({
        "group": ["G", "G", "G", "G", "H"],
        "member": ["AAA", "BBB", "CCC", "*", "AAA"],
        "valid_from": ["2000-01-01", "2010-06-01", "2000-01-01", "2000-01-01", "2000-01-01"],
        "valid_to": ["", "", "2009-12-31", "", ""],
    })
    v = S({"AAA": 10.0, "BBB": 5.0, "CCC": 2.0})
    early = m.by_group(v, groups, "2005-01-01")
    # 2005: G = AAA + CCC = 12 (BBB not yet, * is not a member)
    assert early.loc["G"].to_dict() == {"value": 12.0, "members": 2, "matched": 2}
    late = m.by_group(v, groups, pd.Timestamp("2010-06-01"))
    # 2010-06-01: CCC left at the end of 2009, BBB joins that day: 10 + 5
    assert late.loc["G", "value"] == approx(15.0) and late.loc["H", "value"] == approx(10.0)


def test_by_group_on_the_bundled_asean_membership(definitions):
    v = S({"IDN": 10.0, "TLS": 1.0, "BRA": 5.0})
    before = m.by_group(v, definitions.groups, "2025-10-25")
    after = m.by_group(v, definitions.groups, "2025-10-26")
    # Timor-Leste joined ASEAN on 26 October 2025 (groups.csv)
    assert before.loc["ASEAN"].to_dict() == {"value": 10.0, "members": 10, "matched": 1}
    assert after.loc["ASEAN"].to_dict() == {"value": 11.0, "members": 11, "matched": 2}
    assert math.isnan(before.loc["BRI", "value"]) and before.loc["BRI", "members"] == 0   # only "*" rows
    assert before.loc["LATAM", "value"] == approx(5.0)


def test_by_group_errors():
    bad = pd.DataFrame({"group": ["G"], "member": ["AAA"], "valid_from": ["1 May"], "valid_to": [""]})
    with pytest.raises(ValueError, match="valid_from '1 May' of G/AAA is not a date"):
        m.by_group(S({"AAA": 1.0}), bad, "2020-01-01")
    with pytest.raises(ValueError, match="groups lacks column"):
        m.by_group(S({"AAA": 1.0}), bad.drop(columns="valid_to"), "2020-01-01")


def test_by_basket_prefix_matching_and_hs_versions():
    baskets = pd.DataFrame({"basket": ["B", "B", "B", "C"], "hs_code": ["8507", "850760", "8541", "8542"],
                            "hs_version": ["HS2022"] * 4})
    v = S({"850760": 5.0, "850710": 3.0, "854143": 2.0, "870380": 9.0, "TOTAL": 19.0})
    t = m.by_basket(v, baskets)
    # B: 850760 (covered by 8507 and 850760, counted once) + 850710 + 854143 = 10; C: nothing
    assert t.loc["B"].to_dict() == {"value": 10.0, "codes": 3, "matched": 3}
    assert t.loc["C"].to_dict() == {"value": 0.0, "codes": 1, "matched": 0}
    with pytest.raises(ValueError, match="values mix HS levels"):
        m.by_basket(S({"8507": 1.0, "850760": 1.0}), baskets)


def test_by_basket_on_the_bundled_new_trio(definitions):
    v = S({"850760": 5.0, "854142": 2.0, "854140": 7.0, "870380": 1.0})
    with pytest.raises(ValueError, match=r"mix HS versions \(HS2017, HS2022\); pass hs_version="):
        m.by_basket(v, definitions.baskets)
    hs22 = m.by_basket(v, definitions.baskets, hs_version="HS2022")
    hs17 = m.by_basket(v, definitions.baskets, hs_version="HS2017")
    assert hs22.loc["NEW_TRIO", "value"] == approx(8.0)     # 850760 + 854142 + 870380
    assert hs17.loc["NEW_TRIO", "value"] == approx(13.0)    # 850760 + 854140 + 870380 (870380 in HS2017 too)
    with pytest.raises(ValueError, match="no basket codes for 'HS2007'"):
        m.by_basket(v, definitions.baskets, hs_version="HS2007")


# ------------------------------------------------------------------------------------------- HS structure

def test_hs_sections_table():
    t = m.hs_sections()
    assert list(t["section"]) == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
                                  "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI"]
    assert list(t["number"]) == list(range(1, 22))
    # the chapters 01-97 are covered once each, in order, with no gap
    chapters = [c for r in t.itertuples() for c in range(int(r.first_chapter), int(r.last_chapter) + 1)]
    assert chapters == list(range(1, 98))
    assert t["source_url"].str.startswith("https://").all()
    assert t.set_index("section").loc["XVI", "title"].startswith("Machinery and mechanical appliances")


def test_hs_section_mapping():
    s = m.hs_section(["01", "0101", "8542", "854231", "15", "77", "97", "98", "99", "TOTAL", "8A", 85])
    assert s.tolist()[:5] == ["I", "I", "XVI", "XVI", "III"]
    assert s.iloc[5:7].tolist() == [pd.NA, "XXI"]          # 77 reserved
    assert s.iloc[7:11].isna().all()                       # 98, 99 national use; non-HS codes
    assert s.iloc[11] == "XVI"                             # an integer chapter


def test_by_section_and_by_hs_level():
    v = S({"850760": 5.0, "847130": 4.0, "870380": 3.0, "010121": 1.0, "990000": 2.0, "TOTAL": 15.0})
    sec = m.by_section(v)
    assert sec.to_dict() == {"I": 1.0, "XVI": 9.0, "XVII": 3.0}      # 99 and TOTAL have no section
    assert list(sec.index) == ["I", "XVI", "XVII"]
    assert m.by_hs_level(v, 2).to_dict() == {"01": 1.0, "84": 4.0, "85": 5.0, "87": 3.0, "99": 2.0}
    assert m.by_hs_level(S({"8507": 1.0, "850760": 2.0}), 6).to_dict() == {"850760": 2.0}
    with pytest.raises(ValueError, match="digits must be 2"):
        m.by_hs_level(v, 3)


HS_LIST = paths.SHARED_DATA_DIR / "comtrade_china_cipf" / "harmonized-system.csv"


@pytest.mark.skipif(not HS_LIST.exists(), reason="shared Comtrade HS code list not present")
def test_hs_sections_agree_with_the_comtrade_code_list():
    with open(HS_LIST, newline="", encoding="utf-8") as fh:
        chapters = {r["hscode"]: r["section"] for r in csv.DictReader(fh) if r["level"] == "2"}
    assert len(chapters) == 97
    ours = m.hs_section(list(chapters))
    for code, section in chapters.items():
        if code == "99":
            assert section == "TOTAL" and pd.isna(ours[code])   # no section there either
        else:
            assert ours[code] == section, code


# ------------------------------------------------------------------------------------------- ranks and movers

def test_top_by_every_reporter_at_once():
    idx = pd.MultiIndex.from_tuples([("CHN", "USA"), ("CHN", "JPN"), ("CHN", "KOR"), ("CHN", "DEU"),
                                     ("THA", "CHN"), ("THA", "USA"), ("THA", "JPN")], names=["reporter", "item"])
    v = pd.Series([5.0, 9.0, 5.0, np.nan, 1.0, 3.0, 2.0], index=idx)
    t = m.top_by(v, 2)
    assert list(t.index) == [("CHN", 1), ("CHN", 2), ("THA", 1), ("THA", 2)]
    assert list(t["item"]) == ["JPN", "KOR", "USA", "JPN"]        # 5.0 twice: KOR before USA
    assert list(t["value"]) == [9.0, 5.0, 3.0, 2.0]
    last = m.top_by(v, 4).loc["CHN"]
    assert list(last["item"]) == ["JPN", "KOR", "USA", "DEU"] and np.isnan(last["value"].iloc[-1])
    with pytest.raises(ValueError, match="indexed by"):
        m.top_by(v.droplevel(0), 2)


def test_top_by_on_an_index_whose_levels_are_not_in_order():
    """The groups and items are ranked by their labels, not by where the index keeps them; a missing item
    label sorts as pandas.factorize puts it."""
    idx = pd.MultiIndex(levels=[["THA", "CHN"], ["USA", "JPN", "KOR", "DEU"]],
                        codes=[[1, 1, 1, 0, 0, 0], [0, 1, 2, 0, 1, 3]], names=["reporter", "item"])
    v = pd.Series([5.0, 9.0, 5.0, 1.0, 3.0, 3.0], index=idx)
    t = m.top_by(v, 3)
    assert list(t.index) == [("CHN", 1), ("CHN", 2), ("CHN", 3), ("THA", 1), ("THA", 2), ("THA", 3)]
    assert list(t["item"]) == ["JPN", "KOR", "USA", "DEU", "JPN", "USA"]   # equal values by item label
    assert list(t["value"]) == [9.0, 5.0, 5.0, 3.0, 3.0, 1.0]
    plain = pd.Series(v.to_numpy(), index=pd.MultiIndex.from_tuples(list(v.index), names=["reporter", "item"]))
    pd.testing.assert_frame_equal(m.top_by(plain, 3), t)


def test_rank_and_top_n():
    v = S({"USA": 5.0, "JPN": 9.0, "KOR": 5.0, "VNM": 1.0})
    assert m.rank(v).to_dict() == {"USA": 2, "JPN": 1, "KOR": 2, "VNM": 4}
    assert m.top_n(v, 2).to_dict() == {"JPN": 9.0, "USA": 5.0}                 # ties in index order
    assert m.top_n(v, 2, other="Other").to_dict() == {"JPN": 9.0, "USA": 5.0, "Other": 6.0}
    assert m.top_n(v, 2, other="Other").sum() == v.sum()


def test_movers():
    prev = S({"USA": 50.0, "JPN": 30.0, "RUS": 20.0})
    cur = S({"USA": 60.0, "JPN": 24.0, "IND": 26.0})
    risers, fallers = m.movers(cur, prev, n=1)
    # biggest rise: IND +26 (new, growth undefined); biggest fall: RUS -20 (gone, -100 %)
    assert list(risers.index) == ["IND"] and risers.loc["IND", "change"] == approx(26.0)
    assert math.isnan(risers.loc["IND", "growth"]) and risers.loc["IND", "contribution_pp"] == approx(26.0)
    assert list(fallers.index) == ["RUS"] and fallers.loc["RUS", "growth"] == approx(-100.0)
    r2, f2 = m.movers(cur, prev, n=5)
    assert list(r2.index) == ["IND", "USA"] and list(f2.index) == ["RUS", "JPN"]


# ------------------------------------------------------------------------------------------- properties

values = st.lists(st.floats(min_value=0.0, max_value=1e12, allow_nan=False), min_size=1, max_size=30)
positive = st.lists(st.floats(min_value=1.0, max_value=1e9, allow_nan=False), min_size=1, max_size=30)


@settings(max_examples=30, deadline=None)
@given(values)
def test_property_shares_sum_to_100(xs):
    s = m.shares(S(xs))
    if sum(xs) > 0:
        assert s.sum() == approx(100.0, rel=1e-9)
    else:
        assert s.isna().all()


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(st.sampled_from(list("abcdefghij")), st.floats(0, 1e9), max_size=10),
       st.dictionaries(st.sampled_from(list("abcdefghij")), st.floats(1, 1e9), min_size=1, max_size=10))
def test_property_contributions_sum_to_total_growth(cur, prev):
    c = m.contributions(S(cur, dtype=float), S(prev, dtype=float))
    assert c.sum() == approx(m.growth(sum(cur.values()), sum(prev.values())), rel=1e-9, abs=1e-9)
    assert set(c.index) == set(cur) | set(prev)


@settings(max_examples=30, deadline=None)
@given(positive)
def test_property_hhi_between_one_over_n_and_one(xs):
    h = m.hhi(S(xs))
    n = len(xs)
    assert 1 / n - 1e-12 <= h <= 1 + 1e-12
    assert m.hhi(S([xs[0]] * n)) == approx(1 / n)
    hn = m.hhi_normalized(S(xs))
    assert (math.isnan(hn) and n == 1) or -1e-9 <= hn <= 1 + 1e-9


@settings(max_examples=20, deadline=None)
@given(st.lists(st.lists(st.floats(min_value=1.0, max_value=1e9), min_size=3, max_size=3), min_size=2,
                max_size=6))
def test_property_rca_of_the_world_is_one(matrix):
    reporters = [f"R{i}" for i in range(len(matrix))]
    products = ["p", "q", "r"]
    x = pd.DataFrame([(r, p, v) for r, row in zip(reporters, matrix) for p, v in zip(products, row)],
                     columns=["reporter", "product", "value"])
    out = m.rca(x)
    x_c = out.groupby("reporter")["value"].transform("sum")
    total = out["value"].sum()
    # for each product, the RCAs weighted by the reporters' shares of world exports average to 1
    weighted = (out["rca"] * x_c / total).groupby(out["product"]).sum()
    assert weighted.to_numpy() == approx(np.ones(3), rel=1e-9)
    # and for each reporter, weighted by the products' shares of world exports
    w_p = out.groupby("product")["value"].transform("sum") / total
    assert (out["rca"] * w_p).groupby(out["reporter"]).sum().to_numpy() == approx(np.ones(len(reporters)))


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.floats(1, 1e6), st.floats(1, 1e6), st.floats(1, 1e6), st.floats(1, 1e6)),
                min_size=1, max_size=20))
def test_property_price_times_volume_is_value(rows):
    idx = [f"{i:06d}" for i in range(len(rows))]
    v0, q0, v1, q1 = (S([r[k] for r in rows], index=idx) for k in range(4))
    pv = m.price_volume(v0, q0, v1, q1)
    assert pv.price_index * pv.volume_index == approx(pv.value_index, rel=1e-9)
    assert pv.value_index == approx(v1.sum() / v0.sum(), rel=1e-9)
    p = pv.products
    assert (p["log_price"] + p["log_volume"]).to_numpy() == approx(p["log_value"].to_numpy(), abs=1e-9)


def test_contributions_by_reporter_in_one_step():
    # A: previous total 100 + 20 = 120; x +20, y +30 (new), z -20 (gone): 20/120, 30/120, -20/120 -> sum 25 %
    # B: previous total 5; x +5 -> 100 pp; explicit totals per group are used when given
    idx = ["reporter", "item"]
    cur = S({("A", "x"): 120.0, ("A", "y"): 30.0, ("B", "x"): 10.0}).rename_axis(idx)
    prev = S({("A", "x"): 100.0, ("A", "z"): 20.0, ("B", "x"): 5.0}).rename_axis(idx)
    got = m.contributions(cur, prev, by="reporter")
    assert got[("A", "x")] == approx(100 * 20 / 120) and got[("A", "y")] == approx(25.0)
    assert got[("A", "z")] == approx(-100 * 20 / 120) and got[("B", "x")] == approx(100.0)
    assert got.loc["A"].sum() == approx(m.growth(150.0, 120.0))
    given_totals = m.contributions(cur, prev, total_previous=S({"A": 240.0, "B": 10.0}), by="reporter")
    assert given_totals[("A", "y")] == approx(12.5) and given_totals[("B", "x")] == approx(50.0)
