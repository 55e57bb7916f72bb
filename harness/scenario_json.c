/*
 * A decoded scenario as JSON (docs/interfaces.md, "scenario"), one writer for the replayer's
 * --json and for vgtfuzz-decode. Needs only the decoder: no module, no kernel.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "scenario_json.h"

static const char *json_bool(bool b)
{
	return b ? "true" : "false";
}

static void json_hex(FILE *o, uint64_t v)
{
	fprintf(o, "\"0x%" PRIx64 "\"", v);
}

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

void vgtf_json_page(FILE *o, const uint8_t *page)
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

const char *const vgtf_target_names[VGTF_TARGETS] = {
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

void vgtf_json_scenario(FILE *o, const struct vgtf_scenario *sc)
{
	fprintf(o, "{\"target\":\"%s\",\"format_version\":%u,\"page\":", vgtf_target_names[sc->target],
		sc->format_version);
	vgtf_json_page(o, sc->page);
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
