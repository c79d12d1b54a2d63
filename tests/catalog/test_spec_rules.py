"""The spec matrix as pure rules: what a valid matrix is, how rows keep their SKUs, and how chips choose one."""

from anxin.catalog.rules import (
    MAX_COMBINATIONS,
    ChipSku,
    CombinationSpec,
    DimensionSpec,
    ExistingSku,
    SpecMatrix,
    SpecValueSpec,
    all_combinations,
    clean_name,
    combination_key,
    dimensions_problems,
    matrix_problems,
    open_values,
    plan_matrix,
    sku_for_choice,
)

COLOUR = DimensionSpec("颜色", "Colour", (SpecValueSpec("白蓝", "White-blue"), SpecValueSpec("黑")))
SIZE = DimensionSpec("尺码", "Size", (SpecValueSpec("37"), SpecValueSpec("38")))
DIMS = (COLOUR, SIZE)


def _row(colour: str, size: str, **fields) -> CombinationSpec:
    return CombinationSpec((colour, size), fields.pop("price_fen", 100), **fields)


def _matrix(*rows: CombinationSpec, dims=DIMS) -> SpecMatrix:
    return SpecMatrix(dims, rows)


def test_a_full_two_by_two_matrix_is_fine():
    rows = [_row(c, s, code=f"{c}{s}") for c, s in all_combinations(DIMS)]
    assert len(rows) == 4 and matrix_problems(_matrix(*rows)) == {}


def test_a_combination_given_twice_is_refused():
    problems = matrix_problems(_matrix(_row("黑", "37"), _row("黑", "37")))
    assert problems["skus.1.values"].code == "duplicate_combination"


def test_every_sku_needs_a_known_value_for_every_dimension():
    short = CombinationSpec(("黑",), 100)
    unknown = _row("红", "37")
    problems = matrix_problems(_matrix(short, unknown))
    assert problems["skus.0.values"].code == "value_per_dimension"
    assert problems["skus.1.values"].code == "unknown_value"


def test_names_are_trimmed_bounded_and_unique():
    assert clean_name("  白   蓝 ") == "白 蓝" and clean_name(None) == ""
    long_name = DimensionSpec("颜" * 31, values=(SpecValueSpec("黑"),))
    twice = DimensionSpec("尺码", values=(SpecValueSpec("37"), SpecValueSpec("37")))
    control = DimensionSpec("材质", values=(SpecValueSpec("棉\u202e"),))
    problems = dimensions_problems((long_name, twice, control))
    assert problems["dimensions.0.name"].code == "too_long"
    assert problems["dimensions.1.values.1.name"].code == "duplicate_value"
    assert problems["dimensions.2.values.0.name"].code == "control_characters"


def test_dimensions_values_and_combinations_are_bounded():
    four = tuple(DimensionSpec(f"维度{i}", values=(SpecValueSpec("a"),)) for i in range(4))
    assert dimensions_problems(four)["dimensions"].code == "dimensions_count"
    assert dimensions_problems(())["dimensions"].code == "dimensions_count"
    many = tuple(SpecValueSpec(str(i)) for i in range(31))
    assert dimensions_problems((DimensionSpec("尺码", values=many),))["dimensions.0.values"].code == "values_count"
    wide = tuple(DimensionSpec(f"维度{i}", values=tuple(SpecValueSpec(str(v)) for v in range(30))) for i in range(2))
    assert MAX_COMBINATIONS < 30 * 30 and dimensions_problems(wide)["dimensions"].code == "too_many_combinations"


def test_prices_stock_and_codes_are_checked_per_row():
    rows = (
        _row("黑", "37", price_fen=0),
        _row("黑", "38", stock=-1, code="A"),
        _row("白蓝", "37", price_fen=True, code="A"),
    )
    problems = matrix_problems(_matrix(*rows))
    assert problems["skus.0.price_fen"].code == "out_of_range"
    assert problems["skus.1.stock"].code == "out_of_range"
    assert problems["skus.2.price_fen"].code == "not_integer"
    assert problems["skus.2.code"].code == "duplicate_code"


def test_the_combination_key_ignores_the_order_of_dimensions():
    assert combination_key(DIMS, ("黑", "37")) == combination_key((SIZE, COLOUR), ("37", "黑"))
    assert combination_key(DIMS, ("黑", "37")) != combination_key(DIMS, ("黑", "38"))


def test_rows_keep_their_skus_by_combination_then_by_code_and_the_rest_retire():
    existing = [
        ExistingSku(1, "B37", combination_key(DIMS, ("黑", "37"))),
        ExistingSku(2, "B38", combination_key(DIMS, ("黑", "38"))),
        ExistingSku(3, "OLD", ""),
    ]
    renamed = _row("白蓝", "38", code="B38")  # the seller renamed 黑/38 and kept its code
    plan = plan_matrix(_matrix(_row("黑", "37"), renamed, _row("白蓝", "37")), existing)
    assert plan.matches == (1, 2, None) and plan.retired == (3,) and plan.problems == {}


def test_a_row_may_not_take_another_skus_code():
    existing = [ExistingSku(1, "B37", combination_key(DIMS, ("黑", "37"))), ExistingSku(2, "B38", "")]
    plan = plan_matrix(_matrix(_row("黑", "37", code="B38")), existing)
    assert plan.problems["skus.0.code"].code == "duplicate_code"


CHIPS = [ChipSku(10, (1, 3), True), ChipSku(11, (1, 4), False), ChipSku(12, (2, 3), True)]


def test_a_full_choice_picks_its_sku_and_a_partial_one_none():
    assert sku_for_choice(CHIPS, (1, 4)) == 11
    assert sku_for_choice(CHIPS, (1, None)) is None
    assert sku_for_choice(CHIPS, (2, 4)) is None


def test_values_leading_to_nothing_buyable_are_closed():
    assert open_values(CHIPS, (1, None), 1) == {3}  # 1/4 is sold out
    assert open_values(CHIPS, (None, 3), 0) == {1, 2}
    assert open_values(CHIPS, (2, None), 1) == {3}
