from hypothesis import given
from hypothesis import strategies as st

from docfraud.imaging.geometry import box_iou, boxes_overlap

boxes = st.tuples(
    st.integers(-50, 50), st.integers(-50, 50), st.integers(1, 40), st.integers(1, 40)
)


def test_boxes_sharing_area_overlap_touching_ones_do_not() -> None:
    assert boxes_overlap((0, 0, 10, 10), (9, 9, 5, 5))
    assert not boxes_overlap((0, 0, 10, 10), (10, 0, 5, 5))
    assert not boxes_overlap((0, 0, 10, 10), (0, 10, 5, 5))


@given(boxes, boxes)
def test_boxes_overlap_where_their_iou_is_positive(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    assert boxes_overlap(a, b) == boxes_overlap(b, a) == (box_iou(a, b) > 0)
