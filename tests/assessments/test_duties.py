"""The separation of duties table (assessments/duties.py), without a database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualitycity.assessments import duties as d
from qualitycity.assessments.duties import Duty, Relation

R = Relation
KINDS = ["self", "mock", "provincial", "national"]
EXTERNAL = ["provincial", "national"]
INTERNAL = ["self", "mock"]


def allowed(kind, *relations, duty, own_claim=False):
    return d.may(kind, relations, duty, own_claim=own_claim)


# --- the office's own rounds: as before --------------------------------------------------------


@pytest.mark.parametrize("kind", INTERNAL)
@pytest.mark.parametrize("duty", list(Duty))
def test_the_office_and_admins_do_everything_in_their_own_rounds(kind, duty):
    assert allowed(kind, R.OFFICE, duty=duty)
    assert allowed(kind, R.ADMIN, duty=duty)


@pytest.mark.parametrize("kind", INTERNAL)
def test_assigned_assessors_score_claim_link_and_submit_in_the_offices_rounds(kind):
    assert d.duties(kind, [R.ASSIGNED]) == {
        Duty.SCORE,
        Duty.AUTO_SCORE,
        Duty.CLAIM_NA,
        Duty.LINK_EVIDENCE,
        Duty.SUBMIT,
    }


@pytest.mark.parametrize("kind", INTERNAL)
def test_the_office_decides_claims_even_its_own_in_its_own_rounds(kind):
    assert allowed(kind, R.OFFICE, duty=Duty.DECIDE_NA, own_claim=True)
    assert not allowed(kind, R.ASSIGNED, duty=Duty.DECIDE_NA)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("relation", [R.ASSESSOR, R.LIAISON, R.LEADER])
def test_unassigned_assessors_liaisons_and_leaders_do_nothing(kind, relation):
    assert d.duties(kind, [relation]) == frozenset()


@pytest.mark.parametrize("kind", INTERNAL)
def test_an_office_above_only_reads_the_offices_own_rounds(kind):
    assert d.duties(kind, [R.OFFICE_ABOVE]) == frozenset()


# --- provincial and national rounds ------------------------------------------------------------


@pytest.mark.parametrize("kind", EXTERNAL)
def test_only_assigned_assessors_score_auto_score_and_submit(kind):
    for duty in (Duty.SCORE, Duty.AUTO_SCORE, Duty.SUBMIT):
        who = [rel for rel in Relation if allowed(kind, rel, duty=duty)]
        assert who == [R.ASSIGNED], duty


@pytest.mark.parametrize("kind", EXTERNAL)
def test_the_assessed_office_claims_links_evidence_and_chooses_assessors_only(kind):
    assert d.duties(kind, [R.OFFICE]) == {Duty.CLAIM_NA, Duty.LINK_EVIDENCE, Duty.SET_ASSESSORS}


@pytest.mark.parametrize("kind", EXTERNAL)
def test_claims_are_decided_by_assigned_assessors_offices_above_and_admins(kind):
    who = {rel for rel in Relation if allowed(kind, rel, duty=Duty.DECIDE_NA)}
    assert who == {R.ASSIGNED, R.OFFICE_ABOVE, R.ADMIN}


@pytest.mark.parametrize("kind", EXTERNAL)
def test_lock_and_reopen_belong_to_offices_above_and_admins(kind):
    for duty in (Duty.LOCK, Duty.REOPEN):
        assert {rel for rel in Relation if allowed(kind, rel, duty=duty)} == {
            R.OFFICE_ABOVE,
            R.ADMIN,
        }


@pytest.mark.parametrize("kind", EXTERNAL)
def test_the_assessed_office_judges_nothing_even_when_also_assigned_or_admin(kind):
    for other in (R.ASSIGNED, R.ADMIN, R.OFFICE_ABOVE):
        granted = d.duties(kind, [R.OFFICE, other])
        assert not granted & {
            Duty.SCORE,
            Duty.AUTO_SCORE,
            Duty.SUBMIT,
            Duty.DECIDE_NA,
            Duty.LOCK,
            Duty.REOPEN,
        }


@pytest.mark.parametrize("kind", EXTERNAL)
@pytest.mark.parametrize("relation", [R.ASSIGNED, R.OFFICE_ABOVE, R.ADMIN])
def test_nobody_decides_their_own_claim_in_provincial_and_national_rounds(kind, relation):
    assert allowed(kind, relation, duty=Duty.DECIDE_NA)
    assert not allowed(kind, relation, duty=Duty.DECIDE_NA, own_claim=True)


# --- rules that combine ------------------------------------------------------------------------

relation_sets = st.frozensets(st.sampled_from(list(Relation)))


@given(kind=st.sampled_from(KINDS), relations=relation_sets, more=relation_sets)
def test_more_relations_never_bar_less_in_the_offices_own_rounds(kind, relations, more):
    """Relations add up, except the assessed office's bar in provincial and national rounds."""
    if kind in INTERNAL or R.OFFICE not in more:
        assert d.duties(kind, relations) <= d.duties(kind, relations | more)


@given(kind=st.sampled_from(EXTERNAL), relations=relation_sets)
def test_the_assessed_office_never_scores_or_decides(kind, relations):
    granted = d.duties(kind, relations | {R.OFFICE})
    assert Duty.SCORE not in granted and Duty.DECIDE_NA not in granted
    assert Duty.LOCK not in granted and Duty.REOPEN not in granted


@given(kind=st.sampled_from(EXTERNAL), relations=relation_sets, duty=st.sampled_from(list(Duty)))
def test_whoever_scores_a_provincial_round_is_assigned_to_it(kind, relations, duty):
    if duty in (Duty.SCORE, Duty.AUTO_SCORE, Duty.SUBMIT) and d.may(kind, relations, duty):
        assert R.ASSIGNED in relations and R.OFFICE not in relations


@given(kind=st.sampled_from(EXTERNAL), relations=relation_sets)
def test_no_one_decides_their_own_claim_whatever_they_hold(kind, relations):
    assert not d.may(kind, relations, Duty.DECIDE_NA, own_claim=True)


@given(kind=st.sampled_from(KINDS), relations=relation_sets, duty=st.sampled_from(list(Duty)))
def test_every_refusal_is_a_chinese_sentence(kind, relations, duty):
    message = d.refusal(kind, duty)
    assert message.endswith("。") and any("\u4e00" <= ch <= "\u9fff" for ch in message)


# --- relations from the facts ------------------------------------------------------------------


def test_being_assigned_counts_only_with_the_assessor_role():
    assert d.relations_of(assigned=True) == frozenset()
    assert d.relations_of(assessor_role=True, assigned=True) == {R.ASSIGNED}
    assert d.relations_of(assessor_role=True) == {R.ASSESSOR}
    assert d.relations_of(admin=True, office=True, liaison=True) == {R.ADMIN, R.OFFICE, R.LIAISON}


def test_an_unknown_round_kind_is_an_error():
    with pytest.raises(ValueError):
        d.duties("county", [R.OFFICE])
