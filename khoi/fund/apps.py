from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "khoi.fund"
    label = "fund"
    verbose_name = _("Fund for the Poor")

    def ready(self) -> None:
        from khoi.links import MenuItem, register_menu, register_page

        register_menu(
            MenuItem("fund:fund_list", _("Fund for the Poor")),
            MenuItem("fund:household_list", _("Household register"), more=True),
            MenuItem("fund:case_list", _("Great Unity house cases"), more=True),
        )
        from khoi.fund.access import can_list_cases

        register_page("fund:case_list", can_list_cases)

        from khoi.fund import dbguard

        dbguard.install()
        from khoi.audit.access import register_object_getter
        from khoi.audit.labels import FIELD_LABELS as LABELS
        from khoi.audit.labels import register_action_labels, register_field_labels
        from khoi.fund import access
        from khoi.fund.labels import ACTION_LABELS, FIELD_LABELS
        from khoi.fund.providers import fund_agenda, fund_cards, fund_report_section
        from khoi.registry import (
            register_agenda_provider,
            register_dashboard_provider,
            register_report_section,
        )

        register_action_labels(ACTION_LABELS)
        register_field_labels({k: v for k, v in FIELD_LABELS.items() if k not in LABELS})
        register_object_getter("fund.fund", access.get_fund_for_user)
        register_object_getter("fund.household", access.get_household_for_user)
        register_object_getter("fund.housingcase", access.get_case_for_user)
        register_report_section(fund_report_section)
        register_agenda_provider(fund_agenda)
        register_dashboard_provider(fund_cards)

        from khoi.fund.directory import DIRECTORY
        from khoi.registry import register_household_directory

        register_household_directory(DIRECTORY)
        from khoi.fund.keys import rotate_household_keys, rotation_message
        from khoi.petitions.keys import register_rotator

        register_rotator(rotate_household_keys, rotation_message)

        from khoi.fund.demo import load_fund_demo
        from khoi.org.demo import DEMO_EXTENSIONS

        DEMO_EXTENSIONS.append(load_fund_demo)

        from khoi.fund import scale

        scale.register()

        from khoi.fund.providers import ledger_check
        from khoi.registry import IntegrityCheck, register_integrity_check

        # operators' text, like the rest of restore's and move_database's closing lines
        register_integrity_check(IntegrityCheck("fund.ledger", _("the fund ledgers"), ledger_check))
