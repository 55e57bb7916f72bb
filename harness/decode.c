/*
 * vgtf_decode(): bytes -> scenario, following the table in format.def (read that first: layout,
 * defaults, normalisations and why). Every byte string decodes; nothing is read past `len`;
 * no allocation, no globals written, no dependence on the word size.
 *
 * The table drives the reading: each record's fields are read in table order, with the table's
 * width and default, through the normalisation the table names (norm_<name> below; the Python
 * tools decode through this code too, as vgtfuzz-decode). The record loops and the two "finishing" rules
 * (pre-node conflicts, reversed ALLOC ranges) are the code below.
 */
#include <string.h>

#include "scenario.h"

/* ---- Constants from the table, checked against scenario.h. */
enum {
#define VGTF_CONST(name, value, doc) VGTF_F_##name = (value),
#include "format.def"
};
_Static_assert(VGTF_F_PAGE_SIZE == VGTF_PAGE_SIZE, "format.def PAGE_SIZE vs scenario.h");
_Static_assert(VGTF_F_MAX_DEVS == VGTF_MAX_DEVS, "format.def MAX_DEVS vs scenario.h");
_Static_assert(VGTF_F_MAX_PRE == VGTF_MAX_PRE, "format.def MAX_PRE vs scenario.h");
_Static_assert(VGTF_F_MAX_OPS == VGTF_MAX_OPS, "format.def MAX_OPS vs scenario.h");
_Static_assert((int)VGTF_F_OP_KINDS == (int)VGTF_OP_KINDS, "format.def OP_KINDS vs scenario.h");
_Static_assert((int)VGTF_F_MAX_OPS<(int)VGTF_F_ABSENT && VGTF_F_ABSENT> 0xff, "ABSENT is no byte value");

/* The page rows tile [0, PAGE_PREFIX) (the Python test checks they are contiguous). */
enum {
	VGTF_PAGE_ROW_BYTES = 0
#define VGTF_PAGE(name, offset, width, show, doc) +(width)
#include "format.def"
};
_Static_assert((int)VGTF_PAGE_ROW_BYTES == (int)VGTF_F_PAGE_PREFIX, "page rows must cover the prefix");

/* Op kinds: table values are scenario.h's enum. */
#define VGTF_OPKIND(name, ENUM, value, args, doc) \
	_Static_assert((int)VGTF_OP_##ENUM == (value), "format.def op kind " #name " vs scenario.h");
#include "format.def"
enum {
#define VGTF_OPKIND(name, ENUM, value, args, doc) VGTF_OPV_##name = (value),
#include "format.def"
};

/* Targets: their rows, and the op kinds each offers (VGTF_TARGET_OP rows, in order). */
#define VGTF_TARGET(name, value, page_prefix, max_devs, doc) \
	_Static_assert((int)(value) < (int)VGTF_TARGETS, "format.def target " #name " vs scenario.h");
#include "format.def"
enum {
#define VGTF_TARGET(name, value, page_prefix, max_devs, doc) VGTF_TGT_##name = (value),
#include "format.def"
};
_Static_assert((int)VGTF_TGT_balloon == (int)VGTF_TARGET_BALLOON && (int)VGTF_TGT_drm_mm == (int)VGTF_TARGET_DRM_MM,
	       "format.def targets vs scenario.h");
static const struct {
	size_t page_prefix;
	unsigned int max_devs;
} targets[] = {
#define VGTF_TARGET(name, value, page_prefix, max_devs, doc) [value] = { (page_prefix), (max_devs) },
#include "format.def"
};
static const struct {
	uint8_t target, kind;
} target_ops[] = {
#define VGTF_TARGET_OP(target, op, doc) { VGTF_TGT_##target, VGTF_OPV_##op },
#include "format.def"
};

/* Flag bits: VGTF_B_<RECORD>_<name>. */
enum {
#define VGTF_BIT(record, field, name, bit, doc) VGTF_B_##record##_##name = 1u << (bit),
#include "format.def"
};

/* Pre-existing node kinds, indexed by value. */
static const struct {
	int64_t color;
	bool pinned;
} prekinds[] = {
#define VGTF_PREKIND(name, value, color, pinned, doc) [value] = { (color), (pinned) != 0 },
#include "format.def"
};
enum { N_PREKINDS = sizeof(prekinds) / sizeof(prekinds[0]) };

/* ---- Reading. */
struct rd {
	const uint8_t *p;
	size_t len, pos;
};

static bool rd_more(const struct rd *r)
{
	return r->pos < r->len;
}

/* A little-endian field of `width` bytes, or `def` when the input ends inside or before it
 * (after which the input counts as ended). */
static uint32_t rd_field(struct rd *r, unsigned int width, uint32_t def)
{
	uint32_t v = 0;
	unsigned int i;

	if (r->pos >= r->len || r->len - r->pos < width) {
		r->pos = r->len;
		return def;
	}
	for (i = 0; i < width; i++)
		v |= (uint32_t)r->p[r->pos + i] << (8 * i);
	r->pos += width;
	return v;
}

/* ---- Normalisations: norm_<name>(raw, ctx) -> value (bytes for addresses and sizes). */
struct ctx {
	uint64_t total; /* the current device's total, bytes */
	unsigned int n_devs;
	uint64_t prev; /* the previous field of the same record, normalised */
	const uint8_t *kinds; /* the target's op kinds (VGTF_TARGET_OP rows) */
	unsigned int n_kinds;
};

#define PAGE ((uint64_t)VGTF_F_GTT_PAGE)

static uint64_t norm_version(uint64_t raw, const struct ctx *c)
{
	(void)raw, (void)c;
	return VGTF_F_FORMAT_VERSION;
}

static uint64_t norm_total_pages(uint64_t raw, const struct ctx *c)
{
	(void)c;
	if (raw == 0)
		raw = VGTF_F_DEFAULT_TOTAL_PAGES;
	if (raw > VGTF_F_MAX_TOTAL_PAGES)
		raw = VGTF_F_MAX_TOTAL_PAGES;
	return raw * PAGE;
}

static uint64_t norm_mappable_pages(uint64_t raw, const struct ctx *c)
{
	uint64_t v = (raw ? raw : VGTF_F_DEFAULT_MAPPABLE_PAGES) * PAGE;

	return v > c->prev ? c->prev : v; /* prev: total */
}

static uint64_t norm_bits(uint64_t raw, const struct ctx *c)
{
	(void)c;
	return raw;
}

static uint64_t norm_raw(uint64_t raw, const struct ctx *c)
{
	(void)c;
	return raw;
}

static uint64_t norm_mod_pre(uint64_t raw, const struct ctx *c)
{
	(void)c;
	return raw % (VGTF_F_MAX_PRE + 1);
}

static uint64_t norm_mod_total(uint64_t raw, const struct ctx *c)
{
	return raw % (c->total / PAGE) * PAGE;
}

static uint64_t norm_fit_pages(uint64_t raw, const struct ctx *c)
{
	uint64_t v = (raw ? raw : 1) * PAGE, room = c->total - c->prev; /* prev: start */

	return v > room ? room : v;
}

static uint64_t norm_mod_prekinds(uint64_t raw, const struct ctx *c)
{
	(void)c;
	return raw % N_PREKINDS;
}

static uint64_t norm_op_count(uint64_t raw, const struct ctx *c)
{
	(void)c;
	return raw == VGTF_F_ABSENT ? raw : raw % (VGTF_F_MAX_OPS + 1);
}

static uint64_t norm_mod_opkinds(uint64_t raw, const struct ctx *c)
{
	return c->kinds[raw % c->n_kinds];
}

static uint64_t norm_mod_devs(uint64_t raw, const struct ctx *c)
{
	return raw % c->n_devs;
}

static uint64_t norm_nonzero_pages(uint64_t raw, const struct ctx *c)
{
	(void)c;
	return (raw ? raw : 1) * PAGE;
}

static uint64_t norm_align_code(uint64_t raw, const struct ctx *c)
{
	(void)c;
	if (raw > VGTF_F_MAX_ALIGN_CODE)
		raw = VGTF_F_MAX_ALIGN_CODE;
	return raw ? PAGE << (raw - 1) : 0;
}

static uint64_t norm_pages(uint64_t raw, const struct ctx *c)
{
	(void)c;
	return raw * PAGE;
}

static uint64_t norm_pages_or_total(uint64_t raw, const struct ctx *c)
{
	return raw ? raw * PAGE : c->total;
}

static uint64_t norm_page_offset(uint64_t raw, const struct ctx *c)
{
	(void)c;
	return raw & VGTF_F_OFFSET_MASK;
}

/* ---- One reader per record, straight from the table. */
#define FIELD(name, width, def, norm) r->name = c->prev = norm_##norm(rd_field(rd, (width), (def)), c);

struct rec_header {
#define VGTF_HEADER(name, width, def, norm, doc) uint64_t name;
#include "format.def"
};
static void read_header(struct rd *rd, struct ctx *c, struct rec_header *r)
{
#define VGTF_HEADER(name, width, def, norm, doc) FIELD(name, width, def, norm)
#include "format.def"
}

struct rec_device {
#define VGTF_DEVICE(name, width, def, norm, doc) uint64_t name;
#include "format.def"
};
static void read_device(struct rd *rd, struct ctx *c, struct rec_device *r)
{
#define VGTF_DEVICE(name, width, def, norm, doc) FIELD(name, width, def, norm)
#include "format.def"
}

struct rec_pre {
#define VGTF_PRE(name, width, def, norm, doc) uint64_t name;
#include "format.def"
};
static void read_pre(struct rd *rd, struct ctx *c, struct rec_pre *r)
{
#define VGTF_PRE(name, width, def, norm, doc) FIELD(name, width, def, norm)
#include "format.def"
}

struct rec_script {
#define VGTF_SCRIPT(name, width, def, norm, doc) uint64_t name;
#include "format.def"
};
static void read_script(struct rd *rd, struct ctx *c, struct rec_script *r)
{
#define VGTF_SCRIPT(name, width, def, norm, doc) FIELD(name, width, def, norm)
#include "format.def"
}

struct rec_op {
#define VGTF_OP(name, width, def, norm, doc) uint64_t name;
#include "format.def"
};
static void read_op(struct rd *rd, struct ctx *c, struct rec_op *r)
{
#define VGTF_OP(name, width, def, norm, doc) FIELD(name, width, def, norm)
#include "format.def"
}

struct rec_alloc {
#define VGTF_ALLOC(name, width, def, norm, doc) uint64_t name;
#include "format.def"
};
static void read_alloc(struct rd *rd, struct ctx *c, struct rec_alloc *r)
{
#define VGTF_ALLOC(name, width, def, norm, doc) FIELD(name, width, def, norm)
#include "format.def"
}

struct rec_host_write {
#define VGTF_HOST_WRITE(name, width, def, norm, doc) uint64_t name;
#include "format.def"
};
static void read_host_write(struct rd *rd, struct ctx *c, struct rec_host_write *r)
{
#define VGTF_HOST_WRITE(name, width, def, norm, doc) FIELD(name, width, def, norm)
#include "format.def"
}
struct rec_free {
#define VGTF_FREE(name, width, def, norm, doc) uint64_t name;
#include "format.def"
};
static void read_free(struct rd *rd, struct ctx *c, struct rec_free *r)
{
#define VGTF_FREE(name, width, def, norm, doc) FIELD(name, width, def, norm)
#include "format.def"
}
#undef FIELD

/* ---- Op arguments, by the OPKIND rows' `args` column. */
static void args_none(struct rd *rd, struct ctx *c, struct vgtf_op *op)
{
	(void)rd, (void)c, (void)op;
}

static void args_ALLOC(struct rd *rd, struct ctx *c, struct vgtf_op *op)
{
	struct rec_alloc a;

	read_alloc(rd, c, &a);
	op->size = a.size;
	op->alignment = a.alignment;
	op->range_start = a.range_start;
	op->range_end = a.range_end;
	if (op->range_start > op->range_end) {
		op->range_start = a.range_end;
		op->range_end = a.range_start;
	}
	op->mode = (uint8_t)(((a.flags & VGTF_B_ALLOC_high) ? 1 : 0) | ((a.flags & VGTF_B_ALLOC_best) ? 2 : 0));
	op->color = (a.flags & VGTF_B_ALLOC_color) ? 1 : 0;
	op->once = (a.flags & VGTF_B_ALLOC_once) != 0;
	op->retry = (a.flags & VGTF_B_ALLOC_retry) != 0;
}

static void args_FREE(struct rd *rd, struct ctx *c, struct vgtf_op *op)
{
	struct rec_free r;

	read_free(rd, c, &r);
	op->index = (uint8_t)r.index;
}

static void args_HOST_WRITE(struct rd *rd, struct ctx *c, struct vgtf_op *op)
{
	struct rec_host_write h;

	read_host_write(rd, c, &h);
	op->offset = (uint16_t)h.offset;
	op->value = (uint32_t)h.value;
}

static void read_args(struct rd *rd, struct ctx *c, struct vgtf_op *op)
{
	switch (op->kind) {
#define VGTF_OPKIND(name, ENUM, value, args, doc) \
	case (value):                             \
		args_##args(rd, c, op);           \
		break;
#include "format.def"
	default:
		break;
	}
}

/* ---- Devices and their pre-existing nodes. */
static bool pre_conflicts(const struct vgtf_device *d, const struct vgtf_pre_node *p)
{
	uint64_t p_end = p->start + p->size;
	unsigned int i;

	for (i = 0; i < d->n_pre; i++) {
		const struct vgtf_pre_node *q = &d->pre[i];
		uint64_t q_end = q->start + q->size;

		if (p->start < q_end && q->start < p_end)
			return true;
		if (d->color_adjust && q->color != p->color && (q_end == p->start || p_end == q->start))
			return true;
	}
	return d->color_adjust && p->color != -1 && p_end == d->total;
}

/* Returns the device record's flags. */
static uint64_t decode_device(struct rd *rd, struct ctx *c, struct vgtf_device *d)
{
	struct rec_device r;
	unsigned int i;

	read_device(rd, c, &r);
	d->total = r.total;
	d->mappable_end = r.mappable_end;
	d->color_adjust = (r.flags & VGTF_B_DEVICE_color_adjust) != 0;
	d->n_pre = 0;
	c->total = d->total;
	for (i = 0; i < r.pre_count && rd_more(rd); i++) {
		struct rec_pre p;
		struct vgtf_pre_node node;

		read_pre(rd, c, &p);
		node.start = p.start;
		node.size = p.size;
		node.color = prekinds[p.kind].color;
		node.pinned = prekinds[p.kind].pinned;
		if (!pre_conflicts(d, &node))
			d->pre[d->n_pre++] = node;
	}
	return r.flags;
}

static const uint8_t default_script[] = {
#define VGTF_DEFAULT_OP(name, doc) VGTF_OPV_##name,
#include "format.def"
};

void vgtf_decode_target(enum vgtf_target target, const uint8_t *data, size_t len, struct vgtf_scenario *out)
{
	size_t prefix = targets[target < VGTF_TARGETS ? target : 0].page_prefix;
	struct rd rd = { data, len, prefix };
	uint8_t kinds[VGTF_F_OP_KINDS];
	struct ctx c = { 0, 1, 0, kinds, 0 };
	struct rec_header h;
	struct rec_script s;
	unsigned int i, d;

	memset(out, 0, sizeof(*out));
	out->target = (uint8_t)(target < VGTF_TARGETS ? target : 0);
	for (i = 0; i < sizeof(target_ops) / sizeof(target_ops[0]); i++)
		if (target_ops[i].target == out->target)
			kinds[c.n_kinds++] = target_ops[i].kind;
	if (len < prefix)
		rd.pos = len;
	if (rd.pos)
		memcpy(out->page, data, rd.pos);

	read_header(&rd, &c, &h);
	out->format_version = (uint8_t)h.version;

	out->n_devs = 1;
	if ((decode_device(&rd, &c, &out->dev[0]) & VGTF_B_DEVICE_second_device) && targets[out->target].max_devs > 1) {
		decode_device(&rd, &c, &out->dev[1]);
		out->n_devs = 2;
	}
	c.n_devs = out->n_devs;

	read_script(&rd, &c, &s);
	if (s.op_count == VGTF_F_ABSENT) {
		struct rd none = { data, 0, 0 };

		for (d = 0; d < out->n_devs; d++) {
			for (i = 0; i < sizeof(default_script); i++) {
				struct vgtf_op *op;
				bool offered = false;

				for (unsigned int k = 0; k < c.n_kinds; k++)
					offered |= kinds[k] == default_script[i];
				if (!offered)
					continue;
				op = &out->ops[out->n_ops++];
				op->kind = default_script[i];
				op->dev = (uint8_t)d;
				c.total = out->dev[d].total;
				read_args(&none, &c, op);
			}
		}
		return;
	}
	for (i = 0; i < s.op_count && rd_more(&rd); i++) {
		struct vgtf_op *op = &out->ops[out->n_ops++];
		struct rec_op o;

		read_op(&rd, &c, &o);
		op->kind = (uint8_t)o.kind;
		op->dev = (uint8_t)o.dev;
		c.total = out->dev[op->dev].total;
		read_args(&rd, &c, op);
	}
}

void vgtf_decode(const uint8_t *data, size_t len, struct vgtf_scenario *out)
{
	vgtf_decode_target(VGTF_TARGET_BALLOON, data, len, out);
}

_Static_assert(sizeof(default_script) * VGTF_MAX_DEVS <= VGTF_MAX_OPS, "the default script must fit for every device");
