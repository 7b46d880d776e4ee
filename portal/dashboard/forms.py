"""The dashboard's filters. They check the shape of the input and turn it into the metrics' `Filters`."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from services.catalogue.models import Service
from services.metrics.dimensions import AGE_BAND_NAMES
from services.metrics.selectors import Filters
from services.registries.regions import REGIONS
from services.workflow.states import Channel

# A longer period is read in one go from the rollups, but nobody needs more than a few years at once.
LONGEST_PERIOD_DAYS = 3 * 366


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """A period of local dates, both ends included and both optional."""

    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", ValidationError(_("The end of the period must not be before its start."), "order"))
        elif start and end and (end - start).days > LONGEST_PERIOD_DAYS:
            self.add_error("end", ValidationError(_("Choose a period of at most three years."), "too_long"))
        return cleaned

    def filters(self) -> Filters:
        """The chosen filters (call after `is_valid`; an unbound form selects everything)."""
        if not self.is_bound:
            return Filters()
        return Filters(**{name: value or None for name, value in self.cleaned_data.items() if name != "basis"})


class DashboardFilterForm(PeriodForm):
    """The staff dashboard's filters: a period, a service, a region, an age band, a channel, and the basis."""

    BASIS = (("period", _("What happened in the period")), ("cohort", _("Requests started in the period")))

    service = forms.ChoiceField(label=_("Service"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    age_band = forms.ChoiceField(label=_("Age band"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    basis = forms.ChoiceField(
        label=_("Count"),
        choices=BASIS,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Requests started in the period: each figure follows the same requests to their outcome."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        services = Service.objects.order_by("code").only("code", "name_kk", "name_ru", "name_en")
        self.fields["service"].choices = everything + [(service.code, service.name) for service in services]
        self.fields["region"].choices = everything + [(region.code, region.name) for region in REGIONS]
        self.fields["age_band"].choices = everything + [(band, band) for band in AGE_BAND_NAMES]
        self.fields["channel"].choices = everything + [
            (channel.value, channel.label) for channel in Channel if channel != Channel.SYSTEM
        ]

    def filters(self) -> Filters:
        if not self.is_bound:
            return Filters()
        cohort = self.cleaned_data.get("basis") == "cohort"
        return Filters(**{**vars(super().filters()), "cohort": cohort})
