"""Search as pure rules: tokens, query terms, ranking, sorts, price range and the shop page's promises."""

from anxin.catalog import rules


def test_chinese_is_indexed_by_characters_and_pairs_latin_by_words():
    assert rules.index_tokens("足球鞋 Nike-Air2") == ["足", "球", "鞋", "足球", "球鞋", "nike", "air2"]


def test_full_width_and_capital_letters_fold_to_the_same_token():
    assert rules.index_tokens("ＮＩＫＥ") == rules.index_tokens("nike") == ["nike"]


def test_a_query_asks_for_its_pairs_so_a_word_inside_a_longer_word_matches():
    assert rules.query_terms("球鞋") == ["球鞋"]
    assert set(rules.query_terms("球鞋")) <= set(rules.index_tokens("定制足球鞋"))
    assert rules.query_terms("足球鞋") == ["足球", "球鞋"]


def test_a_single_character_query_asks_for_the_character():
    assert rules.query_terms("鞋") == ["鞋"]


def test_query_terms_drop_punctuation_repeats_and_stay_bounded():
    assert rules.query_terms("！！、 ??") == []
    assert rules.query_terms("鞋 鞋 鞋") == ["鞋"]
    assert len(rules.query_terms("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未" * 5)) == rules.MAX_TERMS


def test_title_matches_rank_before_description_matches_and_shorter_titles_first():
    terms = rules.query_terms("球鞋")
    in_title = rules.relevance_key(terms, " ".join(rules.index_tokens("足球鞋")), 1)
    long_title = rules.relevance_key(terms, " ".join(rules.index_tokens("专业训练足球鞋男款")), 2)
    description_only = rules.relevance_key(terms, " ".join(rules.index_tokens("运动袜")), 3)
    assert sorted([description_only, long_title, in_title]) == [in_title, long_title, description_only]


def test_relevance_is_the_default_with_a_query_and_newest_without():
    assert rules.SearchRequest(text="球鞋").effective_sort == rules.SORT_RELEVANCE
    assert rules.SearchRequest().effective_sort == rules.SORT_NEWEST
    assert rules.SearchRequest(sort=rules.SORT_RELEVANCE).effective_sort == rules.SORT_NEWEST
    assert rules.SearchRequest(text="球鞋", sort=rules.SORT_SALES).effective_sort == rules.SORT_SALES
    assert rules.SearchRequest(sort="cheapest").effective_sort == rules.SORT_NEWEST


def test_a_minimum_price_above_the_maximum_is_a_problem():
    assert rules.price_range_problem(500, 100) is not None
    assert rules.price_range_problem(100, 500) is None
    assert rules.price_range_problem(None, 100) is None


def test_shop_promises_name_what_every_product_keeps():
    badges = rules.shop_promises(
        max_handling_hours=48,
        all_no_reason_return=True,
        any_personalizable=True,
        remote_free=["新疆"],
        every_remote_free=False,
    )
    assert [b.code for b in badges] == ["ships_48h", "no_reason_return", "remote_free", "personalizable"]
    assert str(badges[2]) == "新疆包邮"
    slow = rules.shop_promises(
        max_handling_hours=72,
        all_no_reason_return=False,
        any_personalizable=False,
        remote_free=["新疆", "西藏"],
        every_remote_free=True,
    )
    assert [str(b) for b in slow] == ["偏远地区包邮"]
