/*
 * The replayer's machine interface: one test case as one JSON object (see explain_json.h).
 * Python (scripts/vgtfuzzlib) reads only this, never the replayer's human-readable lines.
 */
#include <inttypes.h>
#include <string.h>

#include "explain_json.h"

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

static void json_hex(FILE *o, uint64_t v)
{
	fprintf(o, "\"0x%" PRIx64 "\"", v);
}

static const char *json_bool(bool b)
{
	return b ? "true" : "false";
}

/* ---- The decoded scenario, in the shape of scripts/vgtfuzzlib/testcase.py's decode(). */

static uint64_t le(const uint8_t *p, unsigned int width)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < width; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* format.def's `show` column: hex "0x..", dec number, bytes (hex digits, trailing zeros dropped). */
static void json_page_field(FILE *o, const uint8_t *page, const char *name, unsigned int offset, unsigned int width,
			    const char *show, bool first)
{
	fprintf(o, "%s\"%s\":", first ? "" : ",", name);
	if (!strcmp(show, "bytes")) {
		unsigned int n = width;

		while (n && !page[offset + n - 1])
			n--;
		fputc('"', o);
		for (unsigned int i = 0; i < n; i++)
			fprintf(o, "%02x", page[offset + i]);
		fputc('"', o);
	} else if (!strcmp(show, "hex")) {
		json_hex(o, le(page + offset, width));
	} else {
		fprintf(o, "%" PRIu64, le(page + offset, width));
	}
}

static void json_page(FILE *o, const uint8_t *page)
{
	bool first = true;

	fputc('{', o);
#define VGTF_PAGE(name, offset, width, show, doc)                         \
	json_page_field(o, page, #name, (offset), (width), #show, first); \
	first = false;
#include "format.def"
	fputc('}', o);
}

static const char *prekind_name(int64_t color, bool pinned)
{
#define VGTF_PREKIND(name, value, c, p, doc)      \
	if (color == (c) && pinned == ((p) != 0)) \
		return #name;
#include "format.def"
	return "?";
}

static const char *const target_names[] = {
#define VGTF_TARGET(name, value, page_prefix, max_devs, doc) [value] = #name,
#include "format.def"
};

static const char *const op_names[] = {
#define VGTF_OPKIND(name, ENUM, value, args, doc) [VGTF_OP_##ENUM] = #name,
#include "format.def"
};

/* Which argument record each op kind carries (format.def's args column). */
enum op_args { ARGS_none, ARGS_ALLOC, ARGS_HOST_WRITE, ARGS_FREE };
static const enum op_args op_args[] = {
#define VGTF_OPKIND(name, ENUM, value, args, doc) [VGTF_OP_##ENUM] = ARGS_##args,
#include "format.def"
};

/* Ops whose kernel function returns void: their trace's `ret` is no result (JSON null). */
static bool op_is_void(uint8_t kind)
{
	return kind == VGTF_OP_DETECT || kind == VGTF_OP_DEBALLOON || kind == VGTF_OP_HOST_WRITE;
}

static void json_op(FILE *o, const struct vgtf_op *op)
{
	static const char *const modes[] = { "low", "high", "best", "evict" };

	fprintf(o, "{\"%s\":{\"dev\":%u", op_names[op->kind], op->dev);
	switch (op_args[op->kind]) {
	case ARGS_ALLOC:
		fprintf(o, ",\"size\":");
		json_hex(o, op->size);
		fprintf(o, ",\"alignment\":");
		json_hex(o, op->alignment);
		fprintf(o, ",\"range_start\":");
		json_hex(o, op->range_start);
		fprintf(o, ",\"range_end\":");
		json_hex(o, op->range_end);
		fprintf(o, ",\"mode\":\"%s\",\"once\":%s,\"retry\":%s,\"color\":%" PRId64, modes[op->mode & 3],
			json_bool(op->once), json_bool(op->retry), op->color);
		break;
	case ARGS_HOST_WRITE:
		fprintf(o, ",\"offset\":\"0x%x\",\"value\":\"0x%" PRIx32 "\"", (unsigned int)op->offset, op->value);
		break;
	case ARGS_FREE:
		fprintf(o, ",\"index\":%u", (unsigned int)op->index);
		break;
	case ARGS_none:
		break;
	}
	fprintf(o, "}}");
}

static void json_scenario(FILE *o, const struct vgtf_scenario *sc)
{
	fprintf(o, "{\"target\":\"%s\",\"format_version\":%u,\"page\":", target_names[sc->target], sc->format_version);
	json_page(o, sc->page);
	fprintf(o, ",\"devices\":[");
	for (unsigned int d = 0; d < sc->n_devs; d++) {
		const struct vgtf_device *dv = &sc->dev[d];

		fprintf(o, "%s{\"total\":", d ? "," : "");
		json_hex(o, dv->total);
		fprintf(o, ",\"mappable_end\":");
		json_hex(o, dv->mappable_end);
		fprintf(o, ",\"color_adjust\":%s,\"pre\":[", json_bool(dv->color_adjust));
		for (unsigned int i = 0; i < dv->n_pre; i++) {
			const struct vgtf_pre_node *p = &dv->pre[i];

			fprintf(o, "%s{\"start\":", i ? "," : "");
			json_hex(o, p->start);
			fprintf(o, ",\"size\":");
			json_hex(o, p->size);
			fprintf(o, ",\"kind\":\"%s\",\"color\":%" PRId64 ",\"pinned\":%s}",
				prekind_name(p->color, p->pinned), p->color, json_bool(p->pinned));
		}
		fprintf(o, "]}");
	}
	fprintf(o, "],\"ops\":[");
	for (unsigned int i = 0; i < sc->n_ops; i++) {
		if (i)
			fputc(',', o);
		json_op(o, &sc->ops[i]);
	}
	fprintf(o, "]}");
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
		json_page(o, page);
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
	json_scenario(o, sc);
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
