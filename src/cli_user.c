/* cli_user: the database on a server: its users (bansou user …) and moving a
 * workspace onto it (bansou migrate-to). */
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "store.h"
#include "util.h"
#include "workflow.h"
#include "workspace.h"

static int run_user_add(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    const char *role = cli_opt_val(a, "role");
    if (!role) {
        return bs_err_set(err, BS_EUSAGE, _("user add: --role secretariat|expert is required"));
    }
    char *password = NULL;
    int rc = workflow_user_add(session_store(ctx->s), session_actor(ctx->s), a->pos[0], role,
                               cli_opt_val(a, "expert"), &password, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        bs_value *v = value_map();
        value_set_str(v, "login", a->pos[0]);
        value_set_str(v, "role", role);
        value_set_str(v, "password", password);
        cli_print_json(v);
        value_free(v);
    } else if (password) {
        cli_line(_("user %s (%s) added; its password, shown only now: %s"), a->pos[0], role,
                 password);
    } else {
        cli_line(_("user %s (%s) added; the server knew the login, its password is unchanged"),
                 a->pos[0], role);
    }
    free(password);
    return BS_OK;
}

static int run_user_list(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *rows = NULL;
    int rc = store_user_list(session_store(ctx->s), &rows, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(rows);
    } else {
        const char *const h[] = {_("User"), _("Role"), _("Expert"), _("Added"), NULL};
        bs_value *t = value_list();
        for (size_t i = 0; i < value_len(rows); i++) {
            const bs_value *u = value_at(rows, i);
            bs_value *r = value_list();
            value_push(r, value_str(value_get_str(u, "login")));
            // The role as --role names it, in every language.
            bool expert = strcmp(value_get_str(u, "role"), "expert") == 0;
            value_push(r, value_str(value_get_str(u, "role")));
            char *id = cli_int_text(value_get(u, "expert_id"), "");
            char *who = expert ? xasprintf("%s %s", id, value_get_str(u, "expert_name"))
                               : xstrdup("");
            value_push(r, value_str(who));
            free(who);
            free(id);
            char when[32];
            cli_shown_time(value_get_str(u, "created_at"), when);
            value_push(r, value_str(when));
            value_push(t, r);
        }
        cli_print_table(h, t);
        value_free(t);
    }
    value_free(rows);
    return BS_OK;
}

static int run_user_remove(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int rc = workflow_user_remove(session_store(ctx->s), session_actor(ctx->s), a->pos[0], err);
    if (rc == BS_OK) {
        cli_line(_("user %s removed: it can no longer connect to this database"), a->pos[0]);
    }
    return rc;
}

static int run_migrate_to(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    char *dir = NULL;
    bs_value *copied = NULL;
    int rc = workspace_find(ctx->ws_opt, &dir, err);
    if (rc == BS_OK) {
        rc = workspace_migrate_to(dir, a->pos[0], &copied, err);
    }
    if (rc == BS_OK && cli_flag(a, "json")) {
        cli_print_json(copied);
    } else if (rc == BS_OK) {
        cli_line(_("workspace %s moved to the database on the server: %lld companies, %lld "
                   "experts, %lld engagements, %lld documents, %lld events (the file kept as "
                   "bansou.db.moved)"),
                 dir, (long long)value_as_int(value_get(copied, "company")),
                 (long long)value_as_int(value_get(copied, "expert")),
                 (long long)value_as_int(value_get(copied, "engagement")),
                 (long long)value_as_int(value_get(copied, "document")),
                 (long long)value_as_int(value_get(copied, "event")));
    }
    value_free(copied);
    free(dir);
    return rc;
}

static const cli_opt add_opts[] = {
    {"role", "ROLE", N_("secretariat (sees and changes everything) or expert"), 0},
    {"expert", "EXPERT", N_("the expert the user is (id or exact name; for --role expert)"), 0},
    {"json", NULL, N_("print JSON"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt json_opts[] = {
    {"json", NULL, N_("print JSON"), 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_user_cmds[] = {
    {"user add", "NAME", N_("give someone a login to the database on the server"),
     N_("Only on a database server, and only its owner (who ran init on it). NAME is\n"
     "the login: a lower-case letter or '_', then lower-case letters, digits or '_'.\n"
     "The server enforces what the role may see, whatever client is used: the\n"
     "secretariat everything; an expert the pool of experts, the companies they\n"
     "added or are engaged with, and their own engagements with their visits,\n"
     "records, documents and events. A new login gets a random password, printed\n"
     "once: hand it over, and the user puts it in ~/.pgpass and runs\n"
     "'bansou init DIR --db SERVER --join'. The event log names the database user\n"
     "who acted, whatever --actor says."),
     1, 1, true, add_opts, run_user_add},
    {"user list", NULL, N_("list the users of the database on the server"), NULL, 0, 0, true,
     json_opts, run_user_list},
    {"user remove", "NAME", N_("take a user's access to this database away"),
     N_("The login stays on the server (the event log names it, and it may serve\n"
     "another database) but can no longer connect to this one."),
     1, 1, true, NULL, run_user_remove},
    {"migrate-to", "SERVER", N_("move this workspace's database onto a PostgreSQL server"),
     N_("For an expert who began alone and now joins the shared server: every company,\n"
     "expert, engagement, record, document (its hash and kept bytes) and event is\n"
     "copied with its id, in one transaction, by the database's owner (a database\n"
     "without bansou tables gets them, and its user becomes the owner). An id or a\n"
     "name the server holds already is a conflict: nothing is copied and they are\n"
     "listed. Then DIR/database names the server and bansou.db is kept as\n"
     "bansou.db.moved. SERVER is written as for 'init --db'."),
     1, 1, false, json_opts, run_migrate_to},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
