"""The checker catches each of the eight infeasibilities of MDRPInstances.pdf section 2.1."""

from dataclasses import replace

from anxin.instant.dispatch.checker import check_solution
from anxin.instant.dispatch.solution import AssignmentRecord, Move, OrderRecord, Solution
from tests.instant.days import small_day

DAY = small_day()


def feasible() -> Solution:
    """c1 (300 m from r1: 3 minutes) takes o1 then o2 from r1; c2 (200 m from r2) takes o3.

    c1 leaves at 0, arrives at 3, picks up at 12 (o2 ready), leaves at 14, reaches o1 (5 min) at 19, drops at 21,
    leaves at 23, reaches o2 (3 min) at 26, drops at 28. c2 leaves at 5, arrives at 7, picks up at 15, leaves at
    17, reaches o3 (6 min) at 23, drops at 25.
    """
    return Solution(
        assignments=[AssignmentRecord(2, 12, "c1", ("o1", "o2")), AssignmentRecord(5, 15, "c2", ("o3",))],
        orders=[
            OrderRecord("o1", 0, 10, 12, 21, "c1"),
            OrderRecord("o2", 2, 12, 12, 28, "c1"),
            OrderRecord("o3", 5, 15, 15, 25, "c2"),
        ],
        moves=[
            Move("c1", 0, "0", "r1"),
            Move("c1", 14, "r1", "o1"),
            Move("c1", 23, "o1", "o2"),
            Move("c2", 5, "0", "r2"),
            Move("c2", 17, "r2", "o3"),
        ],
    )


def conditions(solution: Solution) -> set[int]:
    return {v.condition for v in check_solution(DAY, solution)}


def test_a_consistent_solution_passes():
    assert check_solution(DAY, feasible()) == []


def test_an_order_in_two_assignments_breaks_condition_1():
    solution = feasible()
    solution.assignments.append(AssignmentRecord(20, 30, "c2", ("o1",)))
    assert 1 in conditions(solution)


def test_an_assignment_before_placement_breaks_condition_2():
    solution = feasible()
    solution.assignments[0] = replace(solution.assignments[0], time=1)  # o2 is placed at 2
    assert conditions(solution) == {2}


def test_a_pickup_after_the_off_time_breaks_condition_3():
    day = replace(DAY, couriers={**DAY.couriers, "c1": replace(DAY.couriers["c1"], off=11)})
    assert {v.condition for v in check_solution(day, feasible())} == {3}


def test_a_pickup_before_the_ready_time_breaks_condition_4():
    solution = feasible()
    solution.assignments[0] = replace(solution.assignments[0], pickup=11)
    solution.orders[0] = replace(solution.orders[0], pickup=11)
    solution.orders[1] = replace(solution.orders[1], pickup=11)
    assert 4 in conditions(solution)


def test_dropoffs_out_of_sequence_break_condition_5():
    solution = feasible()
    solution.assignments[0] = replace(solution.assignments[0], orders=("o2", "o1"))
    assert 5 in conditions(solution)


def test_a_teleport_breaks_condition_6():
    solution = feasible()
    solution.moves[2] = Move("c1", 23, "r1", "o2")  # it is at o1, not at r1
    assert 6 in conditions(solution)


def test_arriving_too_late_for_the_pickup_service_breaks_condition_7():
    solution = feasible()
    solution.moves[0] = Move("c1", 10, "0", "r1")  # arrives at 13: it cannot hand over at 12
    assert conditions(solution) == {7}


def test_a_pickup_away_from_the_restaurant_breaks_condition_7():
    solution = feasible()
    solution.moves[0] = Move("c1", 0, "0", "r2")
    solution.moves[1] = Move("c1", 14, "r2", "o1")
    assert 7 in conditions(solution)


def test_a_dropoff_away_from_the_diner_breaks_condition_8():
    solution = feasible()
    solution.orders[2] = replace(solution.orders[2], dropoff=23)  # c2 reaches o3 at 23: hand-over not begun
    assert conditions(solution) == {8}


def test_moves_of_one_courier_in_two_blocks_break_condition_6():
    solution = feasible()
    solution.moves = [*solution.moves[1:], solution.moves[0]]
    assert 6 in conditions(solution)


def test_leaving_before_the_on_time_breaks_condition_6():
    day = replace(DAY, couriers={**DAY.couriers, "c2": replace(DAY.couriers["c2"], on=6)})
    assert {v.condition for v in check_solution(day, feasible())} == {6}
