"""Where her baby is, in the words her letters and pages use: before the birth, on the neonatal
unit, with her in hospital, at home with her, or in care. Pure: the read side decides which."""

from __future__ import annotations

from enum import StrEnum


class Situation(StrEnum):
    BEFORE_BIRTH = "before_birth"
    NEONATAL_UNIT = "neonatal_unit"
    TRANSITIONAL_CARE = "transitional_care"
    WITH_HER_IN_HOSPITAL = "with_her_in_hospital"
    AT_HOME = "at_home"
    WITH_FAMILY = "with_family"
    IN_CARE = "in_care"


# Why a meeting about her and her baby is held now, said to her.
MEETING_WORDS: dict[Situation, str] = {
    Situation.BEFORE_BIRTH: "This meeting happens before your baby is born, so that support is "
    "ready in time.",
    Situation.NEONATAL_UNIT: "Your baby is being cared for on the neonatal unit. This meeting "
    "plans the support for you both, including for when your baby leaves hospital.",
    Situation.TRANSITIONAL_CARE: "Your baby is in transitional care, so you can be together "
    "while your baby has extra care. This meeting plans the support for you both, including "
    "for when your baby leaves hospital.",
    Situation.WITH_HER_IN_HOSPITAL: "Your baby is with you in hospital. This meeting plans the "
    "support for you both for when you go home.",
    Situation.AT_HOME: "Your baby is at home with you. This meeting looks at how the support "
    "for you both is going.",
    Situation.WITH_FAMILY: "Your baby is living with family or friends for now. This meeting "
    "is about the plan for your baby and the support for you.",
    Situation.IN_CARE: "Your baby is being looked after away from you for now. This meeting is "
    "about the plan for your baby and the support for you.",
}

# Where her baby is, said to her in her decision letter and information pack.
LETTER_WORDS: dict[Situation, str] = {
    Situation.BEFORE_BIRTH: "Your baby is not born yet. We plan the support with you now, so "
    "that it is ready in time for the birth.",
    Situation.NEONATAL_UNIT: "Your baby is being cared for on the neonatal unit. We plan the "
    "support for you both, including for when your baby leaves hospital.",
    Situation.TRANSITIONAL_CARE: "Your baby is in transitional care, so you can be together "
    "while your baby has extra care. We plan the support for you both, including for when your "
    "baby leaves hospital.",
    Situation.WITH_HER_IN_HOSPITAL: "Your baby is with you in hospital. We plan the support for "
    "you both for when you go home.",
    Situation.AT_HOME: "Your baby is at home with you. The support is for you both, at home.",
    Situation.WITH_FAMILY: "Your baby is living with family or friends for now. The plan is "
    "about your baby, and there is support for you too.",
    Situation.IN_CARE: "Your baby is being looked after away from you for now. The plan is "
    "about your baby, and there is support for you too.",
}

# Scotland's orders for a baby in care, said to her in her letters: a Children's Hearing decides.
ORDER_WORDS: dict[str, str] = {
    "compulsory_supervision_order": "A Children's Hearing has made a compulsory supervision "
    "order for your baby. The order says where your baby lives and what support you both get. "
    "The Children's Hearing will look at the order again, and you can ask for that too. You can "
    "take part in every hearing and bring someone to support you, such as your advocate.",
    "child_protection_order": "A sheriff has made a child protection order for your baby. A "
    "Children's Hearing will meet very soon to decide what happens next. You will be asked to "
    "come, and you can bring someone to support you, such as your advocate.",
}

# Where her baby is, for her record's pages.
PLACE_WORDS: dict[Situation, str] = {
    Situation.BEFORE_BIRTH: "not yet born",
    Situation.NEONATAL_UNIT: "on the neonatal unit",
    Situation.TRANSITIONAL_CARE: "in transitional care",
    Situation.WITH_HER_IN_HOSPITAL: "with her in hospital",
    Situation.AT_HOME: "at home with her",
    Situation.WITH_FAMILY: "with family or friends",
    Situation.IN_CARE: "in care",
}


def situation_of(babies: list[tuple[str, str, bool]]) -> Situation:
    """From each baby's (location, placement, discharged): in care wins, then with family or
    friends, then the neonatal unit, then transitional care, then still in hospital with her;
    otherwise at home."""
    if not babies:
        return Situation.BEFORE_BIRTH
    if any(placement == "care" for _, placement, _ in babies):
        return Situation.IN_CARE
    if any(placement == "family_or_friends" for _, placement, _ in babies):
        return Situation.WITH_FAMILY
    if any(location == "neonatal_unit" and not left for location, _, left in babies):
        return Situation.NEONATAL_UNIT
    if any(location == "transitional_care" and not left for location, _, left in babies):
        return Situation.TRANSITIONAL_CARE
    if any(not left for _, _, left in babies):
        return Situation.WITH_HER_IN_HOSPITAL
    return Situation.AT_HOME


def baby_place(location: str, placement: str, discharged: bool) -> str:
    """One baby's place, as recorded and kept current."""
    return PLACE_WORDS[situation_of([(location, placement, discharged)])]
