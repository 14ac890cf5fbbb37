import pytest

from galleries import contrast


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#777777", "#ffffff", 4.48),  # the classic "just fails AA" grey
        ("#767676", "#ffffff", 4.54),  # and the one that passes
        ("#0000ff", "#ffffff", 8.59),
        ("#ff0000", "#ffffff", 4.0),
        ("#1d6354", "#ffffff", 7.08),
    ],
)
def test_the_contrast_ratio_of_known_pairs_is_what_wcag_gives(first, second, expected):
    assert contrast.ratio(first, second) == pytest.approx(expected, abs=0.01)


def test_relative_luminance_of_black_white_and_mid_grey():
    assert contrast.luminance("#000000") == 0
    assert contrast.luminance("#ffffff") == pytest.approx(1)
    assert contrast.luminance("#808080") == pytest.approx(0.2159, abs=0.0001)


def test_a_light_accent_gets_dark_text_and_a_dark_accent_gets_white_text():
    assert contrast.text_on("#ffd60a") == contrast.DARK_TEXT
    assert contrast.text_on("#1d3557") == contrast.LIGHT_TEXT


@pytest.mark.parametrize(
    "accent", ["#ffd60a", "#00ffff", "#ff7f50", "#777777", "#f1ede6", "#1d6354"]
)
def test_the_text_on_any_accent_reaches_four_and_a_half_to_one_or_the_best_possible(
    accent,
):
    text = contrast.text_on(accent)
    other = contrast.LIGHT_TEXT if text == contrast.DARK_TEXT else contrast.DARK_TEXT
    assert contrast.ratio(text, accent) >= contrast.ratio(other, accent)


@pytest.mark.parametrize(
    ("accent", "background"),
    [
        ("#ffd60a", "#faf8f5"),  # yellow on the light page
        ("#00ffff", "#faf8f5"),
        ("#1d3557", "#121110"),  # navy on the dark page
        ("#7a0000", "#121110"),
        ("#777777", "#ffffff"),
    ],
)
def test_an_accent_too_faint_as_text_is_darkened_or_lightened_until_it_reads(
    accent, background
):
    readable = contrast.readable_on(accent, background)
    assert contrast.ratio(readable, background) >= contrast.AA_TEXT
    assert readable != accent


def test_an_accent_that_already_reads_as_text_is_kept():
    assert contrast.readable_on("#1d6354", "#faf8f5") == "#1d6354"


def test_an_adjusted_accent_keeps_its_hue_family():
    red, green, blue = contrast.parse(contrast.readable_on("#ffd60a", "#faf8f5"))
    assert red > blue
    assert green > blue


def test_a_colour_that_is_not_six_hex_digits_is_refused():
    with pytest.raises(ValueError, match="not a #rrggbb"):
        contrast.parse("red")
