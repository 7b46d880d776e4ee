"""What the automated checks of `services.processing.checks` and their findings are called on the staff pages.

A check result stores codes (`age_between`, `age_out_of_range`) and the data found (`{"age": 17}`);
these are the words an officer reads, with the data that helps to decide written into them. A code
without a label (a check removed from the code, say) is shown as it is stored.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

CHECK_LABELS = {
    "applicant_registered": _("The applicant is in the population register"),
    "no_criminal_record": _("No criminal record"),
    "owner_owns_address": _("The owner owns the property at the address"),
    "owner_consent": _("The owner's consent"),
    "no_tax_arrears": _("No tax arrears"),
    "child_of_applicant": _("The child is the applicant's"),
    "child_not_registered": _("The child is not registered yet"),
    "children_at_least": _("Number of children"),
    "age_between": _("The applicant's age"),
    "child_age_below": _("The child's age"),
    "not_registered_entrepreneur": _("Not an individual entrepreneur yet"),
    "not_married": _("Neither partner is married"),
    "vehicle_not_wanted": _("The vehicle is not wanted or encumbered"),
    "owns_property": _("The applicant owns property"),
    "no_earlier_request": _("No earlier request"),
}

# Placeholders name the finding's data, as the check stores it.
FINDING_LABELS = {
    "applicant_not_in_register": _("The applicant is not in the population register"),
    "registered": _("Registered at an address"),
    "no_record": _("No record"),
    "manual_check_flag": _("The register asks for a manual check"),
    "record_found": _("A record: article %(article)s, %(year)s"),
    "owner_has_no_property_there": _("The owner (IIN %(owner_iin)s) has no property at this address"),
    "owner_found": _("The owner's property: cadastral number %(cadastral_number)s"),
    "applicant_is_owner": _("The applicant is the owner"),
    "owner_cannot_be_reached": _("The owner (IIN %(owner_iin)s) has no phone number in the register"),
    "consent_given": _("The owner consented"),
    "consent_refused": _("The owner refused consent"),
    "consent_requested": _("Waiting for the consent of the owner (IIN %(owner_iin)s)"),
    "tax_arrears": _("Tax arrears: %(amount_kzt)s tenge"),
    "no_arrears": _("No arrears"),
    "child_found": _("The child is the applicant's in the register"),
    "not_a_child_of_applicant": _("The child (IIN %(child_iin)s) is not the applicant's in the register"),
    "child_already_registered": _("A child with this birth date is already registered (IIN %(child_iin)s)"),
    "no_registered_child": _("No child with this birth date is registered"),
    "enough_children": _("Children in the register: %(count)s"),
    "too_few_children": _("Children in the register: %(count)s, at least %(minimum)s needed"),
    "age_in_range": _("Age %(age)s"),
    "age_out_of_range": _("Age %(age)s is outside the allowed range"),
    "child_not_in_register": _("The child is not in the population register"),
    "child_age_ok": _("Age %(age)s"),
    "child_too_old": _("The child is %(age)s, too old for this service"),
    "not_registered": _("Not registered as an entrepreneur"),
    "already_entrepreneur": _("Registered as an entrepreneur since %(since)s"),
    "partner_not_in_register": _("The partner is not in the population register"),
    "already_married": _("The applicant or the partner is married"),
    "both_unmarried": _("Neither is married"),
    "vehicle_not_found": _("The vehicle is not in the register"),
    "vehicle_wanted_or_encumbered": _("The vehicle is wanted or encumbered"),
    "vehicle_clear": _("%(make)s, %(year)s: not wanted, not encumbered"),
    "rights_found": _("Properties owned: %(count)s"),
    "no_rights": _("No registered property rights"),
    "earlier_request": _("Request %(reference)s came first or was granted"),
    "first_request": _("No earlier request"),
}


def check_label(code: str) -> str:
    """The name of the check `code` in the active language (the code itself if it has none)."""
    label = CHECK_LABELS.get(code)
    return str(label) if label is not None else code


def finding_label(code: str, data: dict[str, Any] | None = None) -> str:
    """What the finding `code` means in the active language, with its `data` filled in.

    The code itself if it has no label, or if the data lacks what the label names (a result
    stored before the check changed).
    """
    label = FINDING_LABELS.get(code)
    if label is None:
        return code
    try:
        return str(label) % (data or {})
    except (KeyError, TypeError, ValueError):
        return code
