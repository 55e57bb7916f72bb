/*
 * Fuzz target for the production library alone.
 *
 * Input layout (every byte string is valid; missing bytes read as 0):
 *   [0x00, 0x54)  PV-info page prefix at its real offsets
 *   0x54          flags: bit0 force a valid magic/version, bit1 colour
 *                 policy, bit2 fold the slices into the geometry, bit3
 *                 page-align the slices
 *   0x55          geometry: bits 0-2 pick G, bits 3-5 pick M
 *   0x56          pre-existing nodes: count (mod 6), then 6 bytes each
 *                 (start u32, length byte, kind byte)
 *   ...           ops, 1 byte + operands each, at most 24: detect, balloon
 *                 (kernel/strict), deballoon, insert (LOW/HIGH/BEST/EVICT,
 *                 once or not), remove, reserve, evict, host rewrites a
 *                 slice register + reload, eviction scan + EVICT insert
 * After every op the space and device self-checks run, plus the oracles
 * below; any violation prints a line and aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgtballoon.h"

#define CAP 24
#define MAX_OPS 24
#define PAGE VGTB_PAGE_SIZE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct reader {
	const uint8_t *p;
	size_t n, at;
};

static uint64_t take(struct reader *r, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++) {
		uint64_t b = r->at < r->n ? r->p[r->at] : 0;

		r->at++;
		v |= b << (8 * i);
	}
	return v;
}

static void fail(const char *what, uint64_t a, uint64_t b)
{
	fprintf(stderr, "fuzz_impl: %s (0x%llx, 0x%llx)\n", what, (unsigned long long)a, (unsigned long long)b);
	abort();
}

static void sane(const struct vgtb_device *dev)
{
	const char *why = "";

	if (vgtb_space_check(dev->space, &why))
		fail(why, 0, 0);
	if (vgtb_device_check(dev, &why))
		fail(why, 0, 0);
}

static uint64_t pick_total(unsigned sel, struct reader *r)
{
	static const uint64_t table[7] = {
		UINT64_C(0x100000000),
		UINT64_C(0x80000000),
		0x100000,
		UINT64_C(0x200000000),
		0x10000,
		0x40001000,
		0x3000,
	};

	if (sel < 7)
		return table[sel];
	return 1 + take(r, 4); /* anything, unaligned included */
}

static uint64_t pick_mappable(unsigned sel, uint64_t g, struct reader *r)
{
	switch (sel) {
	case 0:
		return g >= 0x20000000 ? 0x20000000 : g / 8;
	case 1:
		return g >= 0x10000000 ? 0x10000000 : g / 4;
	case 2:
		return g / 2;
	case 3:
		return 0;
	case 4:
		return g;
	case 5:
		return g - (g >= PAGE ? PAGE : 0);
	default:
		return take(r, 4) % (g + 1);
	}
}

static uint32_t clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Make the slices land inside the geometry, so that balloons happen. */
static void fold(struct vgtb_pvinfo *v, uint64_t g, uint64_t m, bool align)
{
	uint64_t mb = v->mappable_base % (m + 1);
	uint64_t ms = v->mappable_size % (m - mb + 1);
	uint64_t ub = m + v->unmappable_base % (g - m + 1);
	uint64_t us;

	ub = ub > UINT32_MAX ? UINT32_MAX : ub;
	us = g >= ub ? v->unmappable_size % (g - ub + 1) : 0;
	if (align) {
		mb &= ~(PAGE - 1);
		ms &= ~(PAGE - 1);
		ub &= ~(PAGE - 1);
		us &= ~(PAGE - 1);
	}
	v->mappable_base = clamp32(mb);
	v->mappable_size = clamp32(ms);
	v->unmappable_base = clamp32(ub);
	v->unmappable_size = clamp32(us);
}

static vgtb_color pick_colour(unsigned sel)
{
	return (vgtb_color)(sel % 4) - 1; /* -1, 0, 1, 2 */
}

/* A successful placement honours the colour policy's guard pages. */
static void check_guards(const struct vgtb_space *sp, vgtb_handle h)
{
	size_t n = vgtb_space_count(sp), i;
	const struct vgtb_node *x = NULL;

	for (i = 0; i < n; i++)
		if (vgtb_space_node(sp, i)->handle == h) {
			x = vgtb_space_node(sp, i);
			break;
		}
	if (!x)
		fail("new node missing", h, 0);
	if (!sp->color_policy)
		return;
	if (i > 0) {
		const struct vgtb_node *p = vgtb_space_node(sp, i - 1);

		if (p->color != x->color && x->start - (p->start + p->size) < PAGE)
			fail("guard page missing below", x->start, p->start);
	}
	{
		uint64_t next = i + 1 < n ? vgtb_space_node(sp, i + 1)->start : sp->total;
		vgtb_color c = i + 1 < n ? vgtb_space_node(sp, i + 1)->color : VGTB_COLOR_UNEVICTABLE;

		/* Below one page the kernel's guard arithmetic wraps and
		 * lets the node through; the model follows it. */
		if (c != x->color && next >= PAGE && next - (x->start + x->size) < PAGE)
			fail("guard page missing above", x->start, next);
	}
}

/* The plan on its own: profiles nest, regions partition [0, G). */
static void check_plans(const struct vgtb_pvinfo *v, uint64_t g, uint64_t m)
{
	struct vgtb_geometry geo = { .total = g, .mappable_end = m };
	struct vgtb_plan k, s;
	uint64_t sum = 0;

	vgtb_plan_make(v, &geo, VGTB_PROFILE_KERNEL, &k);
	vgtb_plan_make(v, &geo, VGTB_PROFILE_STRICT, &s);
	if (k.err && !s.err)
		fail("strict accepts what kernel refuses", k.reason, 0);
	if (!s.err && s.count != k.count)
		fail("strict plan differs from kernel plan", s.count, k.count);
	for (unsigned i = 0; !s.err && i < s.count; i++)
		if (s.region[i].slot != k.region[i].slot || s.region[i].start != k.region[i].start ||
		    s.region[i].size != k.region[i].size)
			fail("strict region differs", s.region[i].start, k.region[i].start);
	if (s.err && !vgtb_reason_is_strict(s.reason) && s.reason != k.reason)
		fail("strict refuses for a kernel reason the kernel lacks", s.reason, k.reason);
	if (k.err)
		return;
	for (unsigned i = 0; i < k.count; i++) {
		if (k.region[i].size == 0 || k.region[i].start + k.region[i].size > g)
			fail("region out of bounds", k.region[i].start, k.region[i].size);
		sum += k.region[i].size;
	}
	if (sum + v->mappable_size + v->unmappable_size != g)
		fail("regions and slices do not partition G", sum, g);
}

/* A request from the input: any size, alignment, colour, range and mode. */
static void read_req(struct reader *r, const struct vgtb_space *sp, struct vgtb_insert_req *q)
{
	uint64_t span;
	unsigned m;

	memset(q, 0, sizeof(*q));
	q->size = 1 + take(r, 2) * (take(r, 1) & 1 ? PAGE : 1);
	q->alignment = (uint64_t)1 << (take(r, 1) % 24);
	q->color = pick_colour((unsigned)take(r, 1));
	q->range_start = take(r, 4) % (sp->total + 1);
	span = sp->total - q->range_start;
	q->range_end = q->range_start + (span ? take(r, 4) % (span + 1) : 0);
	m = (unsigned)take(r, 1);
	q->mode = (enum vgtb_insert_mode)(m % 4);
	q->once = (m & 4) != 0;
}

/* The newest hole (top of the kernel's hole stack); false if none. */
static bool newest_hole(const struct vgtb_space *sp, struct vgtb_hole *top)
{
	struct vgtb_hole h;
	size_t cursor = 0;
	bool any = false;

	while (vgtb_space_next_hole(sp, &cursor, &h))
		if (!any || h.age > top->age) {
			*top = h;
			any = true;
		}
	return any;
}

/*
 * Insert and check what every mode promises: inside the range, aligned,
 * clear of the balloons, guard pages kept; nothing changes on failure.
 */
static int try_insert(struct vgtb_device *dev, const struct vgtb_insert_req *q, size_t before)
{
	struct vgtb_space *sp = dev->space;
	uint64_t clock = sp->age_clock;
	vgtb_handle h = 0;
	int err = vgtb_space_insert(sp, q, &h);
	const struct vgtb_node *x;

	if (err) {
		if (vgtb_space_count(sp) != before || sp->age_clock != clock)
			fail("failed insert changed the space", (uint64_t)-err, 0);
		return err;
	}
	x = vgtb_space_find(sp, h);
	if (!x || x->start < q->range_start || x->start + x->size > q->range_end)
		fail("insert outside its range", q->range_start, q->range_end);
	if (q->alignment > 1 && x->start % q->alignment)
		fail("insert misaligned", x->start, q->alignment);
	for (unsigned i = 0; i < VGTB_SLOTS; i++) {
		const struct vgtb_slot *s = &dev->slot[i];

		if (s->node && x->start < s->start + s->size && s->start < x->start + x->size)
			fail("insert in ballooned space", x->start, s->start);
	}
	check_guards(sp, h);
	return 0;
}

/*
 * The eviction scan over an LRU list picked from the input, then the EVICT
 * insert i915 follows it with. A failed scan changes nothing (in this model
 * its colour step cannot fail once victims went: the scan already kept the
 * guards against every node it did not visit). After a scan that evicted,
 * the newest hole is the one it opened, and the insert lands there.
 */
static void run_scan(struct vgtb_device *dev, struct reader *r)
{
	struct vgtb_space *sp = dev->space;
	struct vgtb_insert_req q;
	vgtb_handle lru[CAP];
	struct vgtb_hole top = { 0, 0, 0 };
	size_t n = (size_t)take(r, 1) % (CAP + 1), count, evicted;
	bool everyone = n == 0 && vgtb_space_count(sp) > 0;
	int err;

	read_req(r, sp, &q);
	/* Half the time a whole-space request small enough to be found. */
	if (take(r, 1) & 1) {
		q.range_start = 0;
		q.range_end = sp->total;
		q.size = 1 + q.size % (sp->total / 8 + 1);
	}
	count = vgtb_space_count(sp);
	for (size_t k = 0; k < n; k++) {
		/* mostly live nodes, sometimes a stale or repeated handle */
		unsigned b = (unsigned)take(r, 1);

		lru[k] = count && b < 250 ? vgtb_space_node(sp, b % count)->handle : (vgtb_handle)b;
	}
	/* An empty pick means every node, from the top down. */
	for (size_t k = 0; everyone && k < count; k++)
		lru[n++] = vgtb_space_node(sp, count - 1 - k)->handle;
	evicted = sp->evict_log->count;
	err = vgtb_space_evict_scan(sp, &q, lru, n);
	evicted = sp->evict_log->count - evicted;
	if (vgtb_space_count(sp) + evicted != count)
		fail("scan: count and log disagree", count, evicted);
	if (err && evicted)
		fail("failed scan evicted", (uint64_t)-err, evicted);
	if (err)
		return;
	q.mode = VGTB_INSERT_EVICT;
	q.once = false;
	if (!newest_hole(sp, &top))
		fail("scan succeeded with no hole", 0, 0);
	count = vgtb_space_count(sp);
	err = try_insert(dev, &q, count);
	if (err == -VGTB_EOVERFLOW || (err == -VGTB_ENOMEM && count == sp->capacity))
		return;
	if (err)
		fail("insert after a successful scan failed", (uint64_t)-err, 0);
	if (evicted) {
		const struct vgtb_node *x = vgtb_space_node(sp, 0);

		for (size_t i = 0; i < vgtb_space_count(sp); i++)
			if (vgtb_space_node(sp, i)->handle + 1 == sp->next_handle)
				x = vgtb_space_node(sp, i);
		if (x->start < top.start || x->start + x->size > top.start + top.size)
			fail("EVICT insert missed the scanned hole", x->start, top.start);
	}
}

static void run_op(struct vgtb_device *dev, struct reader *r, uint8_t *page, size_t page_len)
{
	struct vgtb_space *sp = dev->space;
	unsigned op = (unsigned)take(r, 1) % 10;
	size_t before = vgtb_space_count(sp);
	size_t evicted = sp->evict_log->count;
	uint64_t reserved = dev->reserved;
	bool was_ballooned = dev->ballooned;
	vgtb_handle h = 0;
	int err;

	switch (op) {
	case 0:
		vgtb_device_detect(dev, page, page_len);
		break;
	case 1:
	case 2: {
		uint64_t sum = 0;

		err = vgtb_device_balloon(dev, op == 1 ? VGTB_PROFILE_KERNEL : VGTB_PROFILE_STRICT);
		for (unsigned i = 0; i < VGTB_SLOTS; i++)
			if (dev->slot[i].node)
				sum += dev->slot[i].size;
		if (err == 0 && dev->active && !was_ballooned && dev->reserved != reserved + sum)
			fail("reserved counter after balloon", dev->reserved, reserved + sum);
		if (err && !was_ballooned) {
			if (dev->ballooned || sum || dev->reserved != reserved)
				fail("failed balloon left a trace", sum, dev->reserved);
			if (vgtb_space_count(sp) + (sp->evict_log->count - evicted) != before)
				fail("failed balloon changed nodes", before, vgtb_space_count(sp));
		}
		if (err == -VGTB_EBUSY && (!was_ballooned || vgtb_space_count(sp) != before))
			fail("busy balloon touched state", before, 0);
		break;
	}
	case 3:
		vgtb_device_deballoon(dev);
		for (unsigned i = 0; i < VGTB_SLOTS; i++)
			if (dev->slot[i].node)
				fail("slot held after deballoon", i, 0);
		if (dev->ballooned)
			fail("ballooned after deballoon", 0, 0);
		break;
	case 4: {
		struct vgtb_insert_req q;

		read_req(r, sp, &q);
		try_insert(dev, &q, before);
		break;
	}
	case 5:
		/* Remove a driver node; balloons belong to the device. */
		if (before) {
			size_t i = (size_t)take(r, 1) % before;
			vgtb_handle victim = vgtb_space_node(sp, i)->handle;
			bool owned = false;

			for (unsigned k = 0; k < VGTB_SLOTS; k++)
				owned |= dev->slot[k].node == victim;
			if (!owned && vgtb_space_remove(sp, victim))
				fail("remove of a listed node failed", i, 0);
		}
		break;
	case 6: {
		uint64_t start = take(r, 4) % (sp->total + PAGE);
		uint64_t len = take(r, 2) * (take(r, 1) & 1 ? PAGE : 1);
		unsigned flags = (unsigned)take(r, 1) & 3;

		err = vgtb_space_reserve(sp, start, len, pick_colour((unsigned)take(r, 1)), flags, &h);
		if (err == 0)
			check_guards(sp, h);
		break;
	}
	case 8: {
		/* The host rewrites one slice register; the driver re-reads. */
		unsigned reg = VGTB_PVINFO_OFF_MAPPABLE_BASE + 4 * ((unsigned)take(r, 1) % 4);
		uint64_t val = take(r, 4);

		for (unsigned i = 0; i < 4; i++)
			page[reg + i] = (uint8_t)(val >> (8 * i));
		if (vgtb_device_load_slices(dev, page, page_len))
			fail("slice reload", reg, val);
		break;
	}
	case 9:
		run_scan(dev, r);
		break;
	default:
		err = vgtb_space_evict_for(sp, take(r, 4) % sp->total, take(r, 3), pick_colour((unsigned)take(r, 1)));
		if (err && vgtb_space_count(sp) != before)
			fail("failed eviction removed nodes", before, 0);
		break;
	}
	sane(dev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t page[VGTB_PVINFO_MIN_LEN];
	struct vgtb_node store[CAP];
	struct vgtb_node logged[CAP];
	struct vgtb_evict_log log = { logged, CAP, 0 };
	struct vgtb_space sp;
	struct vgtb_device dev;
	struct vgtb_pvinfo v;
	struct reader r = { data, size, VGTB_PVINFO_MIN_LEN };
	unsigned flags, geo, nodes;
	uint64_t g, m;

	memset(page, 0, sizeof(page));
	memcpy(page, data, size < sizeof(page) ? size : sizeof(page));
	flags = (unsigned)take(&r, 1);
	geo = (unsigned)take(&r, 1);
	g = pick_total(geo & 7, &r);
	m = pick_mappable((geo >> 3) & 7, g, &r);

	vgtb_pvinfo_decode(page, sizeof(page), &v);
	if (flags & 1) {
		v.magic = VGTB_PVINFO_MAGIC;
		v.version_major = 1;
	}
	if (flags & 4)
		fold(&v, g, m, flags & 8);
	vgtb_pvinfo_encode(&v, page, sizeof(page));
	check_plans(&v, g, m);

	if (vgtb_space_init(&sp, store, CAP, g, flags & 2) || vgtb_device_init(&dev, &sp, m))
		fail("init", g, m);
	vgtb_space_set_evict_log(&sp, &log);
	if (vgtb_device_detect(&dev, page, sizeof(page)))
		fail("detect", 0, 0);

	/* Nodes already in the GGTT before the balloon. */
	nodes = (unsigned)take(&r, 1) % 6;
	for (unsigned i = 0; i < nodes; i++) {
		uint64_t start = take(&r, 4) % g;
		uint64_t len = 1 + take(&r, 1) % 64;
		unsigned b = (unsigned)take(&r, 1);

		if (b & 1) {
			start &= ~(PAGE - 1);
			len *= PAGE;
		}
		vgtb_space_reserve(&sp, start, len, pick_colour(b >> 1), b & 8 ? VGTB_NODE_PINNED : 0, NULL);
	}
	sane(&dev);

	for (unsigned k = 0; k < MAX_OPS && r.at < r.n; k++)
		run_op(&dev, &r, page, sizeof(page));
	return 0;
}
