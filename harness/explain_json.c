/*
 * The replayer's machine interface: one test case as one JSON object (see explain_json.h).
 * Python (scripts/vgtfuzzlib) reads only this, never the replayer's human-readable lines.
 */
#include <inttypes.h>
#include <string.h>

#include "explain_json.h"
#include "scenario_json.h"

static void json_str(FILE *o, const char *s)
{
	fputc('"', o);
	for (; *s; s++)
		if (*s == '"' || *s == '\\')
			fprintf(o, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(o, "\\u%04x", *s);
		else
			fputc(*s, o);
	fputc('"', o);
}

static const char *json_bool(bool b)
{
	return b ? "true" : "false";
}

/* Ops whose kernel function returns void: their trace's `ret` is no result (JSON null). */
static bool op_is_void(uint8_t kind)
{
	return kind == VGTF_OP_DETECT || kind == VGTF_OP_DEBALLOON || kind == VGTF_OP_HOST_WRITE;
}

/* The page each detect and balloon reads: its own device's, host writes before it replayed.
 * Device 1 starts from a copy of device 0's page, so the two differ only by host writes. */
static void json_pages_read(FILE *o, const struct vgtf_scenario *sc)
{
	static uint8_t page[VGTF_PAGE_SIZE];
	bool first = true;

	fputc('[', o);
	for (unsigned int i = 0; sc->target == VGTF_TARGET_BALLOON && i < sc->n_ops; i++) {
		const struct vgtf_op *op = &sc->ops[i];

		if (op->kind != VGTF_OP_DETECT && op->kind != VGTF_OP_BALLOON)
			continue;
		vgtf_page_at(sc, op->dev, (int)i - 1, page);
		fprintf(o, "%s{\"op\":%u,\"dev\":%u,\"page\":", first ? "" : ",", i, op->dev);
		vgtf_json_page(o, page);
		fputc('}', o);
		first = false;
	}
	fputc(']', o);
}

/* ---- What the modules did. */

static void json_ranges(FILE *o, const struct vgtf_range *r, uint32_t n, uint32_t cap)
{
	fputc('[', o);
	for (uint32_t i = 0; i < n && i < cap; i++)
		fprintf(o, "%s[%" PRIu64 ",%" PRIu64 ",%" PRId64 "]", i ? "," : "", r[i].start, r[i].size, r[i].color);
	fputc(']', o);
}

static void json_dev(FILE *o, const struct vgtf_dev_obs *d)
{
	fprintf(o, "{\"active\":%s,\"caps\":%u,\"reserved\":%" PRIu64 ",\"structure\":", json_bool(d->active), d->caps,
		d->reserved);
	json_str(o, d->structure_ok ? "ok" : d->structure_why);
	fprintf(o, ",\"nodes\":");
	json_ranges(o, d->nodes, d->n_nodes, VGTF_MAX_NODES);
	fprintf(o, ",\"holes\":");
	json_ranges(o, d->holes, d->n_holes, VGTF_MAX_HOLES);
	fprintf(o, ",\"stack\":[");
	for (uint32_t i = 0; i < d->n_stack && i < VGTF_MAX_HOLES; i++)
		fprintf(o, "%s%" PRIu64, i ? "," : "", d->stack[i]);
	fprintf(o, "]}");
}

static void json_trace(FILE *o, const struct vgtf_scenario *sc, const struct vgtf_trace *t)
{
	fprintf(o, "{\"name\":");
	json_str(o, t->module ? t->module : "?");
	fprintf(o, ",\"stopped\":");
	json_str(o, t->stopped ? t->stop_why : "");
	fprintf(o, ",\"stop_op\":%d,\"pre_ret\":[", t->stopped ? t->stop_op : -1);
	for (unsigned int d = 0; d < sc->n_devs; d++) {
		fprintf(o, "%s[", d ? "," : "");
		for (unsigned int i = 0; i < sc->dev[d].n_pre; i++)
			fprintf(o, "%s%d", i ? "," : "", t->pre_ret[d][i]);
		fputc(']', o);
	}
	fprintf(o, "],\"setup\":[");
	for (unsigned int d = 0; d < sc->n_devs; d++) {
		if (d)
			fputc(',', o);
		json_dev(o, &t->setup[d]);
	}
	fprintf(o, "],\"ops\":[");
	for (unsigned int i = 0; i < sc->n_ops; i++) {
		const struct vgtf_op_obs *ob = &t->op[i];

		fprintf(o, "%s{\"status\":%u,\"ret\":", i ? "," : "", ob->status);
		if (op_is_void(sc->ops[i].kind) || ob->status != VGTF_RAN)
			fprintf(o, "null");
		else
			fprintf(o, "%d", ob->ret);
		fprintf(o, ",\"alloc_start\":%" PRIu64 ",\"warns\":%u,\"evictions\":%u,\"dev\":[", ob->alloc_start,
			ob->warns, ob->evictions);
		for (unsigned int d = 0; d < sc->n_devs; d++) {
			if (d)
				fputc(',', o);
			json_dev(o, &ob->dev[d]);
		}
		fprintf(o, "]}");
	}
	fprintf(o, "]}");
}

void vgtf_finding_json(FILE *o, const struct vgtf_finding *f)
{
	if (!f) {
		fprintf(o, "null");
		return;
	}
	fprintf(o, "{\"signature\":");
	json_str(o, f->sig);
	fprintf(o, ",\"class\":\"%s\",\"op\":%d,\"detail\":", vgtf_sig_names[f->cls], f->op);
	json_str(o, f->detail);
	fprintf(o, ",\"accepted\":");
	if (f->accepted)
		json_str(o, f->accepted);
	else
		fprintf(o, "null");
	fputc('}', o);
}

void vgtf_explain_json(FILE *o, const struct vgtf_scenario *sc, const struct vgtf_trace *const *traces, unsigned int n,
		       const struct vgtf_finding *f)
{
	fprintf(o, "{\"scenario\":");
	vgtf_json_scenario(o, sc);
	fprintf(o, ",\"pages_read\":");
	json_pages_read(o, sc);
	fprintf(o, ",\"modules\":[");
	for (unsigned int m = 0; m < n; m++) {
		if (m)
			fputc(',', o);
		json_trace(o, sc, traces[m]);
	}
	fprintf(o, "],\"finding\":");
	vgtf_finding_json(o, f);
	fputc('}', o);
}

void vgtf_json_string(FILE *o, const char *s)
{
	json_str(o, s);
}
