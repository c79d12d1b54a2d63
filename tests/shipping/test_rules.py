"""Shipping quote rules (RULES §4): weight steps, region fees, free-shipping conditions, provinces not
delivered to, several templates in one order, remote pricing through the hub, and delivery promises."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from anxin.shipping import rules

PROGRAM = rules.RemoteProgram(hubs={p: "61" for p in ("65", "54", "63", "62", "64", "15")})
BY_WEIGHT = rules.Template(id=1, mode=rules.WEIGHT, first_units=1000, first_fen=800, step_units=1000, step_fen=300)


def line(template_id=1, quantity=1, price=5000, weight=500, remote_ok=True, product_id=1):
    return rules.Line(template_id, quantity, price, weight, remote_ok, product_id, f"p{product_id}")


def fee(template, province, *lines):
    return rules.quote(list(lines), {template.id: template}, province, PROGRAM).fee_fen


def test_the_first_kilo_costs_the_first_fee():
    assert fee(BY_WEIGHT, "330000", line(weight=1000)) == 800


def test_each_started_further_kilo_costs_a_step():
    assert fee(BY_WEIGHT, "330000", line(weight=1001)) == 1100
    assert fee(BY_WEIGHT, "330000", line(weight=2000)) == 1100
    assert fee(BY_WEIGHT, "330000", line(weight=2001)) == 1400


def test_weight_adds_up_over_quantity_and_lines():
    assert fee(BY_WEIGHT, "330000", line(weight=400, quantity=2), line(weight=300, product_id=2)) == 1100


def test_piece_templates_charge_by_count():
    per_piece = rules.Template(id=1, mode=rules.PIECE, first_units=1, first_fen=500, step_units=2, step_fen=100)
    assert fee(per_piece, "330000", line(quantity=1)) == 500
    assert fee(per_piece, "330000", line(quantity=3)) == 600
    assert fee(per_piece, "330000", line(quantity=4)) == 700


def test_a_region_rule_overrides_the_default_fees():
    far = rules.RegionFee(frozenset({"46"}), 1500, 500)
    template = rules.Template(1, rules.WEIGHT, 1000, 800, 1000, 300, regions=(far,))
    assert fee(template, "460000", line(weight=1500)) == 2000
    assert fee(template, "330000", line(weight=1500)) == 1100


def test_free_always_to_some_provinces():
    near = rules.FreeCondition(frozenset({"33", "31"}), rules.ALWAYS)
    template = rules.Template(1, rules.WEIGHT, 1000, 800, 1000, 300, free=(near,))
    assert fee(template, "330000", line(weight=5000)) == 0
    assert fee(template, "440000", line(weight=1000)) == 800


def test_free_from_a_subtotal():
    over_99 = rules.FreeCondition(frozenset(), rules.SUBTOTAL, 9900)
    template = rules.Template(1, rules.WEIGHT, 1000, 800, 1000, 300, free=(over_99,))
    assert fee(template, "440000", line(price=9899)) == 800
    assert fee(template, "440000", line(price=9900)) == 0


def test_free_from_a_piece_count():
    three = rules.FreeCondition(frozenset({"44"}), rules.PIECES, 3)
    template = rules.Template(1, rules.WEIGHT, 1000, 800, 1000, 300, free=(three,))
    assert fee(template, "440000", line(quantity=2)) > 0
    assert fee(template, "440000", line(quantity=3)) == 0


def test_a_province_not_delivered_to_is_refused_with_the_product():
    no_tibet = rules.Template(1, rules.WEIGHT, 1000, 800, 1000, 300, excluded=frozenset({"54"}))
    quote = rules.quote([line(product_id=7)], {1: no_tibet}, "540000", PROGRAM)
    assert not quote.deliverable
    assert quote.refusals == [rules.Refusal(7, "p7", "not_delivered")]


def test_several_templates_in_one_order_add_up():
    light = rules.Template(2, rules.PIECE, 1, 500, 1, 100)
    templates = {1: BY_WEIGHT, 2: light}
    quote = rules.quote([line(1, weight=1500), line(2, quantity=2, product_id=2)], templates, "330000", PROGRAM)
    assert quote.fee_fen == 1100 + 600


def test_a_remote_order_is_priced_as_if_it_went_to_the_hub():
    by_region = rules.Template(
        1, rules.WEIGHT, 1000, 800, 1000, 300, regions=(rules.RegionFee(frozenset({"65"}), 2000, 1000),)
    )
    quote = rules.quote([line(weight=1000)], {1: by_region}, "650000", PROGRAM)
    assert quote.via_hub == "61"
    assert quote.pricing_province == "61"
    assert quote.fee_fen == 800


def test_free_shipping_is_free_to_xinjiang_and_the_platform_pays_leg_two():
    baoyou = rules.Template(
        1, rules.WEIGHT, 1000, 800, 1000, 300, free=(rules.FreeCondition(frozenset(), rules.ALWAYS),)
    )
    quote = rules.quote([line(weight=2500)], {1: baoyou}, "650102", PROGRAM)
    assert quote.fee_fen == 0
    assert quote.leg2_fen == 600 + 2 * 200


def test_a_product_not_for_remote_regions_is_refused_there_only():
    assert rules.quote([line(remote_ok=False)], {1: BY_WEIGHT}, "650000", PROGRAM).refusals[0].reason == "not_remote"
    assert rules.quote([line(remote_ok=False)], {1: BY_WEIGHT}, "330000", PROGRAM).deliverable


def test_leg_two_costs_the_first_kilo_then_each_started_kilo():
    assert rules.leg2_cost(0, PROGRAM) == 600
    assert rules.leg2_cost(1000, PROGRAM) == 600
    assert rules.leg2_cost(1001, PROGRAM) == 800


def test_template_problems_name_overlaps_negative_fees_and_unknown_provinces():
    known = frozenset({"33", "44", "65"})
    overlapping = rules.Template(
        1, rules.WEIGHT, 1000, 800, 1000, 300,
        regions=(rules.RegionFee(frozenset({"33"}), 1, 1), rules.RegionFee(frozenset({"33", "44"}), 1, 1)),
    )  # fmt: skip
    assert rules.template_problems(overlapping, known) == {"regions.1": "overlap"}
    negative = rules.Template(1, rules.WEIGHT, 1000, -1, 1000, 300)
    assert rules.template_problems(negative, known) == {"fees": "negative_fee"}
    unknown = rules.Template(1, rules.WEIGHT, 1000, 800, 1000, 300, excluded=frozenset({"99"}))
    assert rules.template_problems(unknown, known) == {"provinces": "unknown:99"}


def test_a_promise_is_handling_plus_transit_days():
    promise = rules.promise(date(2026, 11, 20), 48, 1200)  # 2 days handling, 3 days transit
    assert promise.latest == date(2026, 11, 25)
    assert promise.earliest == date(2026, 11, 23)


def test_a_promise_through_the_hub_adds_a_day_at_the_hub_and_leg_two():
    promise = rules.promise(date(2026, 11, 20), 24, 900, 2100)  # 1 + 3 + 1 + 4
    assert promise.latest == date(2026, 11, 29)


def test_on_time_means_by_the_latest_date():
    promise = rules.Promise(date(2026, 11, 27), date(2026, 11, 29))
    assert promise.on_time(date(2026, 11, 29))
    assert promise.days_late(date(2026, 12, 1)) == 2


lines_strategy = st.lists(
    st.builds(
        rules.Line,
        template_id=st.sampled_from([1, 2, 3]),
        quantity=st.integers(1, 20),
        unit_price_fen=st.integers(1, 100_000),
        weight_g=st.integers(0, 30_000),
        remote_ok=st.booleans(),
        product_id=st.integers(1, 50),
    ),
    min_size=1,
    max_size=6,
)
TEMPLATES = {
    1: BY_WEIGHT,
    2: rules.Template(2, rules.PIECE, 2, 400, 1, 150, free=(rules.FreeCondition(frozenset({"44"}), rules.PIECES, 5),)),
    3: rules.Template(3, rules.WEIGHT, 500, 0, 500, 0, excluded=frozenset({"54"})),
}


@given(lines=lines_strategy, province=st.sampled_from(["330000", "440000", "650000", "540000", "110000"]))
def test_a_quote_is_never_negative_and_never_depends_on_line_order(lines, province):
    forward = rules.quote(lines, TEMPLATES, province, PROGRAM)
    backward = rules.quote(list(reversed(lines)), TEMPLATES, province, PROGRAM)
    assert forward.fee_fen >= 0 and forward.leg2_fen >= 0
    assert (forward.fee_fen, forward.leg2_fen) == (backward.fee_fen, backward.leg2_fen)
    assert sorted(forward.refusals, key=repr) == sorted(backward.refusals, key=repr)


def test_a_parcel_within_a_remote_province_goes_straight_there():
    quote = rules.quote([line(remote_ok=False)], {1: BY_WEIGHT}, "650102", PROGRAM, origin="650000")
    assert (quote.via_hub, quote.leg2_fen, quote.pricing_province) == (None, 0, "65")
    assert quote.deliverable
