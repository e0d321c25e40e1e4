/* Unit tests: the engine API without the command line. A workspace is made,
 * a company registered and engaged on theme 1, visit 1's pack prepared, and
 * a self-diagnosis filled in by the test (a workbook it writes itself with
 * libxlsxwriter from the cells of the blank one) imported; the documents
 * table, the files and the records are checked, and a wrong answer is
 * refused with its cell while nothing is stored. Themes and templates come
 * from $BANSOU_THEMES and $BANSOU_TEMPLATES (tests/run sets them). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>

#include "engagement.h"
#include "intake.h"
#include "job.h"
#include "produce.h"
#include "session.h"
#include "util.h"
#include "workflow.h"
#include "workspace.h"
#include "xlsxr.h"

typedef struct fixture {
    char dir[64];
    bs_session *s;
    int64_t eng;
} fixture;

static void ok(int rc, const bs_err *e)
{
    if (rc != BS_OK) {
        fail_msg("%s", e->msg);
    }
}

/* A workspace with one company, one expert and an engagement on policy
 * whose first visit is planned. */
static int setup(void **state)
{
    fixture *f = xcalloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/bansou-engine-XXXXXX");
    if (!mkdtemp(f->dir)) {
        return -1;
    }
    char *ws = xasprintf("%s/ws", f->dir);
    bs_err e = {0};
    ok(workspace_init(ws, NULL, false, &e), &e);
    ok(session_open(ws, "tester", true, &f->s, &e), &e);
    free(ws);
    bs_store *st = session_store(f->s);
    bs_value *c = value_map();
    value_set_str(c, "name", "株式会社テスト精工");
    value_set_str(c, "industry", "製造業");
    value_set_str(c, "kind", "会社");
    value_set_int(c, "employees", 40);
    value_set_str(c, "prefecture", "大阪府");
    int64_t id = 0;
    ok(workflow_company_add(st, "tester", c, &id, &e), &e);
    value_free(c);
    bs_value *x = value_map();
    value_set_str(x, "name", "試験 太郎");
    static const char *const lists[] = {"qualifications", "regions", "themes", "industries", NULL};
    for (const char *const *k = lists; *k; k++) {
        value_set(x, *k, value_list());
    }
    value_push(value_get(x, "themes"), value_str("policy"));
    value_push(value_get(x, "regions"), value_str("大阪"));
    ok(workflow_expert_add(st, "tester", x, &id, &e), &e);
    value_free(x);
    bs_value *warnings = value_list();
    ok(engagement_start(f->s, "株式会社テスト精工", "試験 太郎", "policy", NULL, warnings, &f->eng,
                        &e),
       &e);
    assert_int_equal(value_len(warnings), 0);
    value_free(warnings);
    ok(workflow_visit_plan(st, "tester", f->eng, 1, "2026-04-10", NULL, &e), &e);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    session_close(f->s);
    char *cmd = xasprintf("rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(cmd);
    free(f);
    return rc;
}

static const bs_value *find_by(const bs_value *list, const char *key, const char *val)
{
    for (size_t i = 0; i < value_len(list); i++) {
        const char *s = value_get_str(value_at(list, i), key);
        if (s && strcmp(s, val) == 0) {
            return value_at(list, i);
        }
    }
    return NULL;
}

static void test_prepare_visit_1(void **state)
{
    fixture *f = *state;
    bs_err e = {0};
    bs_value *written = value_list(), *warnings = value_list();
    ok(produce_prepare(f->s, f->eng, 1, NULL, written, warnings, &e), &e);
    assert_int_equal(value_len(warnings), 0);
    // The common pack, theme 1's two sheets and the self-diagnosis.
    static const char *const docs[] = {"visit-plan", "requests", "hearing", "self-diagnosis",
                                       "regulation-check", "regulation-roles", NULL};
    for (const char *const *d = docs; *d; d++) {
        const bs_value *w = find_by(written, "doc", *d);
        if (!w) {
            fail_msg("visit 1's pack has no '%s'", *d);
        }
        assert_int_equal(value_as_int(value_get(w, "visit")), 1);
        assert_true(bs_file_exists(value_get_str(w, "path")));
        assert_non_null(strstr(value_get_str(w, "path"), "/out/001_株式会社テスト精工/policy/visit-1/"));
    }
    // Every file written is in the documents table, unchanged since.
    bs_value *rec = NULL;
    ok(produce_recorded(f->s, f->eng, &rec, &e), &e);
    assert_int_equal(value_len(rec), value_len(written));
    for (size_t i = 0; i < value_len(rec); i++) {
        const bs_value *r = value_at(rec, i);
        assert_string_equal(value_get_str(r, "status"), "ok");
        assert_non_null(find_by(written, "path", value_get_str(r, "path")));
        assert_int_equal(strlen(value_get_str(r, "sha256")), 64);
    }
    // The visit is prepared; the pack is logged.
    bs_value *eng = NULL;
    ok(engagement_describe(f->s, f->eng, &eng, &e), &e);
    assert_string_equal(value_get_str(workflow_visit(eng, 1), "state"), "prepared");
    assert_string_equal(value_get_str(eng, "progress"), "○○○");
    bs_value *events = NULL;
    ok(store_event_list(session_store(f->s), f->eng, &events, &e), &e);
    size_t generated = 0;
    for (size_t i = 0; i < value_len(events); i++) {
        generated += strcmp(value_get_str(value_at(events, i), "kind"), "document.generate") == 0;
    }
    assert_int_equal(generated, value_len(written));
    assert_string_equal(value_get_str(value_at(events, 0), "actor"), "tester");
    value_free(events);
    value_free(eng);
    value_free(rec);
    value_free(written);
    value_free(warnings);
}

/* Writes `out`: the cells of sheet `sheet` of `blank`, with the answer of
 * question i set to answers[i % nanswers] (an answer cell is the one under
 * the header 回答 in a row whose No. is a number). */
static void fill_in(const char *blank, const char *sheet, const char *out,
                    const char *const *answers, size_t nanswers)
{
    bs_xlsx *x = NULL;
    bs_grid *g = NULL;
    bs_err e = {0};
    ok(xlsxr_open(blank, &x, &e), &e);
    ok(xlsxr_read_sheet(x, sheet, &g, &e), &e);
    uint32_t hr = 0, cno = 0, cans = 0;
    bool found = false;
    for (size_t i = 0; i < g->n && !found; i++) {
        if (g->cells[i].text && strcmp(g->cells[i].text, "回答") == 0) {
            hr = g->cells[i].row;
            cans = g->cells[i].col;
            found = true;
        }
    }
    assert_true(found);
    for (uint32_t c = 0; c <= g->max_col; c++) {
        const bs_cell *h = xlsxr_cell(g, hr, c);
        if (h && h->text && strcmp(h->text, "No.") == 0) {
            cno = c;
        }
    }
    lxw_workbook *wb = workbook_new(out);
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    size_t q = 0;
    for (size_t i = 0; i < g->n; i++) {
        const bs_cell *c = &g->cells[i];
        if (c->type == XC_NUM) {
            worksheet_write_number(ws, c->row, (lxw_col_t)c->col, c->num, NULL);
        } else if (c->text) {
            worksheet_write_string(ws, c->row, (lxw_col_t)c->col, c->text, NULL);
        }
    }
    for (uint32_t r = hr + 1; r <= g->max_row; r++) {
        const bs_cell *no = xlsxr_cell(g, r, cno);
        if (no && no->type == XC_NUM) {
            worksheet_write_string(ws, r, (lxw_col_t)cans, answers[q++ % nanswers], NULL);
        }
    }
    assert_int_equal(q, 25);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    xlsxr_grid_free(g);
    xlsxr_close(x);
}

static void test_import_self_diagnosis(void **state)
{
    fixture *f = *state;
    bs_err e = {0};
    char *blank = NULL;
    char *where = xasprintf("%s/blank.xlsx", f->dir);
    ok(intake_write(f->s, f->eng, "self-diagnosis", false, false, where, &blank, &e), &e);
    assert_string_equal(blank, where);
    // Listed as not imported yet.
    bs_value *sheets = NULL;
    ok(intake_sheets(f->s, f->eng, &sheets, &e), &e);
    assert_false(value_as_bool(value_get(find_by(sheets, "id", "self-diagnosis"), "imported")));
    assert_true(value_as_bool(value_get(find_by(sheets, "id", "self-diagnosis-summary"), "output")));
    value_free(sheets);

    static const char *const answers[] = {"実施している", "一部実施している", "実施していない",
                                          "わからない"};
    char *filled = xasprintf("%s/filled.xlsx", f->dir);
    fill_in(blank, "自社診断", filled, answers, 4);
    bs_value *done = NULL, *problems = value_list();
    ok(intake_import(f->s, f->eng, filled, &done, problems, &e), &e);
    assert_int_equal(value_len(problems), 0);
    assert_int_equal(value_len(done), 1);
    assert_string_equal(value_get_str(value_at(done, 0), "sheet"), "self-diagnosis");
    assert_int_equal(value_as_int(value_get(value_at(done, 0), "rows")), 25);
    assert_int_equal(value_type(value_get(value_at(done, 0), "diff")), BS_VNULL);

    // The rows as stored, with the points the theme computes (4/2/0/−1).
    bs_value *rows = NULL;
    ok(intake_records(f->s, f->eng, "self-diagnosis", &rows, &e), &e);
    assert_int_equal(value_len(rows), 25);
    static const int64_t points[] = {4, 2, 0, -1};
    for (size_t i = 0; i < value_len(rows); i++) {
        const bs_value *r = value_at(rows, i);
        assert_int_equal(value_as_int(value_get(r, "no")), (int64_t)i + 1);
        assert_string_equal(value_get_str(r, "answer"), answers[i % 4]);
        assert_int_equal(value_as_int(value_get(r, "points")), points[i % 4]);
    }
    value_free(rows);
    ok(intake_sheets(f->s, f->eng, &sheets, &e), &e);
    assert_true(value_as_bool(value_get(find_by(sheets, "id", "self-diagnosis"), "imported")));
    value_free(sheets);

    // The result sheet can now be written, and it is recorded in the log.
    char *summary = NULL;
    ok(intake_write(f->s, f->eng, "self-diagnosis-summary", false, false, NULL, &summary, &e), &e);
    assert_true(bs_file_exists(summary));
    assert_non_null(strstr(summary, "/out/001_株式会社テスト精工/policy/自社診断結果.xlsx"));

    // Importing the same answers again reports no change.
    value_free(done);
    done = NULL;
    ok(intake_import(f->s, f->eng, filled, &done, problems, &e), &e);
    const bs_value *diff = value_get(value_at(done, 0), "diff");
    assert_int_equal(value_type(diff), BS_VMAP);
    assert_int_equal(value_len(value_get(diff, "changed")), 0);
    assert_int_equal(value_len(value_get(diff, "added")), 0);

    free(summary);
    value_free(done);
    value_free(problems);
    free(filled);
    free(blank);
    free(where);
}

static void test_bad_answer_stores_nothing(void **state)
{
    fixture *f = *state;
    bs_err e = {0};
    char *blank = NULL, *where = xasprintf("%s/blank.xlsx", f->dir);
    ok(intake_write(f->s, f->eng, "self-diagnosis", false, false, where, &blank, &e), &e);
    static const char *const answers[] = {"実施している", "たぶん"};
    char *filled = xasprintf("%s/bad.xlsx", f->dir);
    fill_in(blank, "自社診断", filled, answers, 2);
    bs_value *done = NULL, *problems = value_list();
    assert_int_equal(intake_import(f->s, f->eng, filled, &done, problems, &e), BS_EINPUT);
    assert_null(done);
    // Twelve questions answered たぶん, each named by its cell.
    assert_int_equal(value_len(problems), 12);
    assert_non_null(strstr(value_as_str(value_at(problems, 0)), "自社診断!"));
    assert_non_null(strstr(value_as_str(value_at(problems, 0)), "'たぶん' is not one of"));
    assert_non_null(strstr(e.msg, "12 problems in "));
    assert_non_null(strstr(e.msg, ": nothing imported"));
    bs_value *records = NULL;
    bs_err e2 = {0};
    assert_int_equal(intake_records(f->s, f->eng, "self-diagnosis", &records, &e2),
                     BS_ENOTFOUND);
    value_free(problems);
    free(filled);
    free(blank);
    free(where);
}

static void test_gates_named(void **state)
{
    fixture *f = *state;
    bs_err e = {0};
    // Visit 2 has no date: its pack is refused, naming the command to run.
    assert_int_equal(produce_prepare(f->s, f->eng, 2, NULL, NULL, NULL, &e), BS_ESTATE);
    assert_non_null(strstr(e.msg, "visit 2 has no date yet: plan it first"));
    // Visit 1 was not held: no report.
    bs_err e2 = {0};
    assert_int_equal(produce_report(f->s, f->eng, 1, NULL, NULL, NULL, &e2), BS_ESTATE);
    assert_string_equal(e2.msg, "visit 1 has not been held: nothing to report");
    // The final report waits for the end of the engagement.
    bs_err e3 = {0};
    assert_int_equal(produce_final(f->s, f->eng, NULL, NULL, NULL, NULL, &e3), BS_ESTATE);
    assert_non_null(strstr(e3.msg, "the engagement has not ended"));
    // The plan says the same for each document of visit 2.
    bs_value *plan = NULL;
    ok(produce_plan(f->s, f->eng, 2, &plan, &e), &e);
    assert_true(value_len(plan) > 0);
    for (size_t i = 0; i < value_len(plan); i++) {
        const bs_value *d = value_at(plan, i);
        assert_int_equal(value_as_int(value_get(d, "visit")), 2);
        if (!value_as_bool(value_get(d, "ready"))) {
            assert_non_null(value_get_str(d, "why"));
        }
    }
    const bs_value *p = find_by(plan, "id", "visit-plan");
    assert_non_null(p);
    assert_false(value_as_bool(value_get(p, "ready")));
    value_free(plan);
    // Nothing was written.
    bs_value *rec = NULL;
    ok(produce_recorded(f->s, f->eng, &rec, &e), &e);
    assert_int_equal(value_len(rec), 0);
    value_free(rec);
}

/* Where the path of a generated file is made, a theme's file name that is
 * not plain is refused again (the theme's check refuses it first), and no
 * folder is made for it. */
static void test_out_path_refuses_what_is_not_plain(void **state)
{
    fixture *f = *state;
    bs_job j;
    bs_err e = {0};
    ok(job_open(f->s, f->eng, &j, &e), &e);
    static const char *const bad[][2] = {
        {"../../../../x.xlsx", "it contains '/'"},
        {"..", "it is '..'"},
        {"a\\b.docx", "it contains '\\'"},
        {"a\x1b" "b.docx", "it contains a control character"},
        {"", "it is empty"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        bs_err_clear(&e);
        assert_null(job_out_path(&j, "visit-9", bad[i][0], &e));
        assert_int_equal(e.code, BS_ESCRIPT);
        assert_non_null(strstr(e.msg, "themes/policy/theme.lua: '"));
        assert_non_null(strstr(e.msg, "' is not a plain file name: "));
        assert_string_equal(strstr(e.msg, "file name: ") + strlen("file name: "), bad[i][1]);
    }
    assert_non_null(strstr(e.msg, "''")); // the empty name, shown as such
    bs_err_clear(&e);
    assert_null(job_out_path(&j, "visit-9", "a\x1b" "b.docx", &e));
    assert_non_null(strstr(e.msg, "'a\\x1bb.docx'")); // shown, not sent to the terminal
    char *gone = xasprintf("%s/ws/out", f->dir);
    char *cmd = xasprintf("find '%s' -name visit-9 | grep -q .", gone);
    assert_int_not_equal(system(cmd), 0); // no folder made for any of them
    free(cmd);
    free(gone);
    bs_err_clear(&e);
    char *p = job_out_path(&j, "visit-9", "第9回_訪問計画書.docx", &e);
    ok(p ? BS_OK : e.code, &e);
    assert_non_null(strstr(p, "/policy/visit-9/第9回_訪問計画書.docx"));
    free(p);
    job_free(&j);
}

/* A company's folder, and the names that would not make one. */
static void test_company_folder_and_names(void **state)
{
    (void)state;
    static const struct {
        int64_t id;
        const char *name, *folder;
    } cases[] = {
        {1, "株式会社テスト製作所", "001_株式会社テスト製作所"},
        {2, "X/Y", "002_X_Y"},
        {3, "X_Y", "003_X_Y"},
        {1234, "a\x01" "b", "1234_a_b"},
        {7, "..", "007"}, // stored before names were checked: the id alone
        {8, ".. ", "008"},
        {9, ".env", "009_env"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *f = workflow_company_folder(cases[i].id, cases[i].name);
        assert_string_equal(f, cases[i].folder);
        free(f);
    }
    bs_err e = {0};
    assert_int_equal(workflow_check_name("株式会社テスト製作所", true, &e), BS_OK);
    assert_int_equal(workflow_check_name("..", false, &e), BS_OK); // an expert has no folder
    static const struct {
        const char *name;
        bool company;
        const char *msg;
    } bad[] = {
        {"", true, "company name: empty"},
        {NULL, false, "expert name: empty"},
        {"..", true, "company name: '..' has only dots and spaces, which cannot name a folder"},
        {"a\x1b[2Jb", true, "company name: 'a\\x1b[2Jb' contains a control character"},
        {"a\nb", false, "expert name: 'a\\x0ab' contains a control character"},
        {"a\xff", true, "company name: 'a\\xff' is not UTF-8"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        bs_err_clear(&e);
        assert_int_equal(workflow_check_name(bad[i].name, bad[i].company, &e), BS_EINPUT);
        assert_string_equal(e.msg, bad[i].msg);
    }
    bs_buf b = {0};
    for (int i = 0; i < WORKFLOW_NAME_MAX; i++) {
        bs_buf_puts(&b, "長");
    }
    bs_err_clear(&e);
    assert_int_equal(workflow_check_name(b.s, true, &e), BS_OK);
    char *f = workflow_company_folder(1, b.s);
    assert_int_equal(strlen(f), 4 + WORKFLOW_FOLDER_NAME_MAX); // 50 characters of 3 bytes
    free(f);
    bs_buf_puts(&b, "長");
    assert_int_equal(workflow_check_name(b.s, true, &e), BS_EINPUT);
    assert_string_equal(e.msg, "company name: too long (101 characters, at most 100)");
    bs_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_company_folder_and_names),
        cmocka_unit_test_setup_teardown(test_prepare_visit_1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_self_diagnosis, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_answer_stores_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gates_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_path_refuses_what_is_not_plain, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
