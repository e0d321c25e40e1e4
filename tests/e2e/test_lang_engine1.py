#!/usr/bin/python3
"""End-to-end tests of the engine's messages in Japanese (issue "a command
line in Japanese"): the errors of the workflow, the documents, the store and
the workspace read as one Japanese sentence with LANG=ja_JP.UTF-8, and stay
the same English with LANG=C.UTF-8.

    /usr/bin/python3 tests/e2e/test_lang_engine1.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import datetime
import os
import sys

from harness import Engagement, check, check_eq, in_lang, refused, run_suite

COMPANY = "株式会社言語精工"


def make_case(cli):
    """One engagement on the policy theme (engagement 1), walked in order."""
    return Engagement(cli, COMPANY, "policy", ["--industry", "製造業", "--employees", "25"])


def today():
    return datetime.date.today().isoformat()


def test_workspace_path(e, k):
    nowhere = os.path.join(e.tmp, "nowhere")
    refused(e, ["-C", nowhere, "status"],
            "%s: bansou のワークスペースではありません（-C で指定。'bansou init %s' で作成してください）"
            % (nowhere, nowhere),
            "%s: not a bansou workspace (given by -C; create one with 'bansou init %s')"
            % (nowhere, nowhere))
    refused(e, ["init", k.ws], "%s: ワークスペースがすでにあります" % k.ws,
            "%s: a workspace exists already" % k.ws)


def test_company_not_found_and_name(e, k):
    refused(e, k.c + ["company", "show", "99"], "企業 '99' が見つかりません", "no company '99'")
    refused(e, k.c + ["company", "add", "...", "--industry", "製造業"],
            "企業名: '...' はドットと空白だけで、フォルダ名にできません",
            "company name: '...' has only dots and spaces, which cannot name a folder")
    refused(e, k.c + ["company", "add", COMPANY, "--industry", "製造業"],
            "企業 '%s' はすでに登録されています（id 1）" % COMPANY,
            "company '%s' exists already (id 1)" % COMPANY)


def test_visit_held_out_of_order(e, k):
    refused(e, k.c + ["visit", "hold", "1", "2", "--date", "2025-06-01"],
            "第1回訪問より前に第2回訪問は実施できません", "visit 2 cannot be held before visit 1")
    refused(e, k.c + ["visit", "plan", "1", "5", "--date", "2025-06-01"],
            "案件 1 の訪問は第1回から第3回までで、第5回はありません",
            "engagement 1 has visits 1 to 3, not 5")


def test_date_in_the_future(e, k):
    refused(e, k.c + ["visit", "hold", "1", "1", "--date", "2099-01-01"],
            "--date: 2099-01-01 は未来の日付です（今日は %s）" % today(),
            "--date: 2099-01-01 is in the future (today is %s)" % today())
    refused(e, k.c + ["visit", "hold", "1", "1", "--date", "2025-13-01"],
            "--date: '2025-13-01' は日付ではありません（YYYY-MM-DD）",
            "--date: '2025-13-01' is not a date (YYYY-MM-DD)")


def test_final_report_too_early(e, k):
    refused(e, k.c + ["engagement", "final-report", "1"],
            "最終報告書: 案件が終わっていません: すべての訪問を実施するか、理由を付けて案件を中止してください",
            "最終報告書: the engagement has not ended: hold every visit, or terminate it with a reason")
    refused(e, k.c + ["visit", "prepare", "1", "1"],
            "訪問計画書: 第1回訪問の日付がまだ決まっていません: 先に予定を立ててください"
            "（bansou visit plan 1 1 --date YYYY-MM-DD）",
            "訪問計画書: visit 1 has no date yet: plan it first (bansou visit plan 1 1 --date "
            "YYYY-MM-DD)")


def test_overdue_in_status(e, k):
    k.b("visit", "plan", "1", "1", "--date", "2025-06-01")
    _, ja, _ = in_lang(e, "ja_JP.UTF-8", *k.c, "status")
    check("第1回訪問（2025-06-01 予定）が未実施" in ja, "the Japanese status: %s" % ja)
    _, en, _ = in_lang(e, "C.UTF-8", *k.c, "status")
    check("visit 1 planned for 2025-06-01 not held" in en, "the English status: %s" % en)


def test_edited_file_refused(e, k):
    _, out, _ = k.b("generate", "1")
    path = out.splitlines()[0]
    with open(path, "ab") as f:
        f.write(b"x")
    shown = os.path.relpath(path, k.ws)
    stem, ext = os.path.splitext(os.path.basename(path))
    kept = "%s.edited-%s%s" % (stem, today(), ext)
    refused(e, k.c + ["generate", "1"],
            "%s は作成後に編集されています: 手元の版を別の場所に保存するか、--force を付けて %s "
            "として残したうえで作成し直してください" % (shown, kept),
            "%s was edited since it was written: keep your copy elsewhere, or give --force to keep "
            "it as %s and write it anew" % (shown, kept))


def test_engagement_complete_twice(e, k):
    refused(e, k.c + ["engagement", "complete", "1"],
            "第1回訪問はまだ実施されていません: 先に実施するか、'engagement terminate 1 --reason …' "
            "で案件を終了してください",
            "visit 1 has not been held: hold it first, or end the engagement with "
            "'engagement terminate 1 --reason …'")
    for n, day in ((1, "2025-06-02"), (2, "2025-07-01"), (3, "2025-08-01")):
        k.b("visit", "hold", "1", str(n), "--date", day)
    refused(e, k.c + ["visit", "hold", "1", "1", "--date", "2025-06-02"],
            "第1回訪問は 2025-06-02 にすでに実施済みです", "visit 1 was held on 2025-06-02 already")
    k.b("engagement", "complete", "1")
    refused(e, k.c + ["engagement", "complete", "1"],
            "案件 1 は完了しています: これ以上変更できません",
            "engagement 1 is completed: no further changes")


TESTS = [test_workspace_path, test_company_not_found_and_name, test_visit_held_out_of_order,
         test_date_in_the_future, test_final_report_too_early, test_overdue_in_status,
         test_edited_file_refused, test_engagement_complete_twice]


if __name__ == "__main__":
    sys.exit(run_suite("lang_engine1", TESTS, make_case))
