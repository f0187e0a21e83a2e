import json
import sys
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from junheng.core.commands import user_named
from junheng.core.exports import write_xlsx
from junheng.organisations.models import District
from junheng.policy.engine import compliance_run
from junheng.policy.models import FindingStatus, PolicyEdition
from junheng.policy.rules.wording import measured_lines, threshold_lines

COLUMNS = ["规则", "对象类型", "对象", "状态", "测量值", "阈值", "说明"]


class Command(BaseCommand):
    help = "Checks the rules of a policy edition as of a date; prints the findings and keeps them as a run."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--edition", required=True, help="edition code, e.g. S1")
        parser.add_argument(
            "--as-of",
            dest="as_of",
            type=date.fromisoformat,
            default=date.today(),
            help="YYYY-MM-DD; today when omitted",
        )
        parser.add_argument("--district", help="GB/T 2260 code, e.g. 310113")
        parser.add_argument("--format", dest="fmt", choices=["json", "xlsx"], default="json")
        parser.add_argument("--output", "-o", help="file to write; standard output when omitted")
        parser.add_argument(
            "--user", help="run as this user, who must be allowed to start it (default: the platform itself)"
        )

    def handle(
        self,
        *args: Any,
        edition: Any,
        as_of: Any,
        district: Any,
        fmt: Any,
        output: Any,
        user: Any,
        **options: Any,
    ) -> None:
        found = PolicyEdition.objects.filter(code=edition).first()
        if found is None:
            codes = "、".join(PolicyEdition.objects.values_list("code", flat=True))
            raise CommandError(f"没有代码为 {edition} 的政策版本；现有：{codes}")
        area = None
        if district:
            area = District.objects.filter(code=district).first()
            if area is None:
                raise CommandError(f"“{district}”不是上海市的区代码。")
        try:
            _run, findings = compliance_run(actor=user_named(user), edition=found, as_of=as_of, district=area)
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from refused
        stream = open(output, "wb") if output else sys.stdout.buffer  # noqa: SIM115
        try:
            if fmt == "json":
                body = {
                    "edition": found.code,
                    "as_of": as_of.isoformat(),
                    "district": district,
                    "findings": [f.as_dict() for f in findings],
                }
                stream.write(json.dumps(body, ensure_ascii=False, indent=2).encode() + b"\n")
            else:
                labels = dict(FindingStatus.choices)
                rows = [COLUMNS] + [
                    [
                        f.rule,
                        f.subject_type,
                        f.subject_name,
                        str(labels[f.status]),
                        "\n".join(measured_lines(f.rule, f.measured)),
                        "\n".join(threshold_lines(f.rule, f.threshold)),
                        f.message,
                    ]
                    for f in findings
                ]
                write_xlsx(rows, stream, f"{found.code} {as_of}")
        finally:
            if output:
                stream.close()
            else:
                stream.flush()
