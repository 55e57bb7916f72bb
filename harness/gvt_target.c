/*
 * The gvt target (docs/gvt.md): the lifted GVT-g host creates and destroys vGPUs on its GGTT and
 * writes each one's PV-info page; each vGPU's guest runs the lifted intel_vgpu_detect() and
 * intel_vgt_balloon() from that page. After every op the end-to-end oracles check isolation,
 * conservation, the page, the instance rule and the fence grant, against facts written here in
 * our own words (the reference below), never against the lifted code's own tables.
 *
 * Each guest is its own VM in reality; here guests boot one at a time on one guest GGTT (the
 * balloon code's bl_info is a single static): a boot balloons, records the guest's usable GGTT,
 * deballoons. The recorded views are what isolation compares while the vGPUs stay alive.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gvt_target.h"
#include "target.h"

static const char *cur_op_name = "setup"; /* the op running, for a kernel BUG's signature */

const char *vgtf_gvt_current_op(void)
{
	return cur_op_name;
}

#ifdef VGTFUZZ_HAVE_HOST
#include "kgtt.h"
#include "khost.h"

#define MiB (1ull << 20)
#define PAGE 4096ull

/* GVT-g's facts (gvt/vgpu.c, gvt/gvt.h, gvt/aperture_gm.c; the same in 6.1 to 7.3): the vGPU
 * types, the host's share of each resource, the ids, the capabilities the host advertises. */
static const struct {
	uint64_t low, high;
	uint32_t fence;
} ref_types[] = {
	{ 64 * MiB, 384 * MiB, 4 },
	{ 128 * MiB, 512 * MiB, 4 },
	{ 256 * MiB, 1024 * MiB, 4 },
	{ 512 * MiB, 2048 * MiB, 4 },
};
#define N_REF_TYPES (sizeof(ref_types) / sizeof(ref_types[0]))
#define REF_HOST_LOW (128 * MiB)
#define REF_HOST_HIGH (384 * MiB)
#define REF_HOST_FENCE 4
#define REF_MAX_ID 7 /* ids 1..7: idr_alloc(.., 1, GVT_MAX_VGPU = 8) */
#define REF_CAPS 0x1cu /* full PPGTT | HWSP emulation | huge GTT */
#define REF_MAGIC 0x4776544776544776ull

struct guest_view {
	bool booted;
	bool lied; /* a FENCE_NUM op rewrote this vGPU's page */
	unsigned int n;
	struct khost_range r[4]; /* the guest's usable GGTT after ballooning */
};

static struct {
	const struct vgtf_scenario *sc;
	struct vgtf_finding *f;
	uint64_t total, M;
	unsigned int n_types;
	struct khost_range setup_nodes[VGTF_MAX_PRE + 1];
	size_t n_setup;
	struct khost_vgpu v[KHOST_MAX_VGPUS];
	struct guest_view g[KHOST_MAX_VGPUS];
	unsigned int warns;
} W;

static bool find(enum vgtf_sig_class cls, int op, const char *opname, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static bool find(enum vgtf_sig_class cls, int op, const char *opname, const char *field, const char *fmt, ...)
{
	va_list ap;

	W.f->cls = cls;
	W.f->op = op;
	snprintf(W.f->sig, sizeof(W.f->sig), "%s/%s/%s", vgtf_sig_names[cls], opname, field);
	va_start(ap, fmt);
	vsnprintf(W.f->detail, sizeof(W.f->detail), fmt, ap);
	va_end(ap);
	W.f->accepted = vgtf_accepted(W.f->sig);
	return true;
}

/* Live slots in id order: the `index` of DESTROY and BOOT picks among these. */
static unsigned int live_slots(unsigned int *slots)
{
	unsigned int n = 0;

	for (int id = 1; id <= REF_MAX_ID; id++)
		for (unsigned int s = 0; s < KHOST_MAX_VGPUS; s++)
			if (W.v[s].live && W.v[s].id == id)
				slots[n++] = s;
	return n;
}

static void refresh(void)
{
	for (unsigned int s = 0; s < KHOST_MAX_VGPUS; s++) {
		khost_vgpu(s, &W.v[s]);
		if (!W.v[s].live)
			W.g[s].booted = W.g[s].lied = false;
	}
}

static bool overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The lowest page-aligned fit of `size` in [lo, hi) among the holes (LOW mode), or UINT64_MAX.
 * The holes come in drm_mm's hole-stack order, not by address: take the minimum. */
static uint64_t lowest_fit(const struct khost_range *h, size_t n, uint64_t size, uint64_t lo, uint64_t hi)
{
	uint64_t best = UINT64_MAX;

	for (size_t i = 0; i < n; i++) {
		uint64_t s = h[i].start > lo ? h[i].start : lo,
			 e = h[i].start + h[i].size < hi ? h[i].start + h[i].size : hi;

		s = (s + PAGE - 1) & ~(PAGE - 1);
		if (s < e && e - s >= size && s < best)
			best = s;
	}
	return best;
}

static bool fits_anywhere(const struct khost_range *h, size_t n, uint64_t size, uint64_t lo, uint64_t hi)
{
	return lowest_fit(h, n, size, lo, hi) != UINT64_MAX;
}

/* --- the oracles ---------------------------------------------------------------------------- */

static bool check_page(int i, const char *name, unsigned int s)
{
	const struct khost_vgpu *v = &W.v[s];
	const uint8_t *p = khost_page(s);
	uint64_t magic = le32(p) | (uint64_t)le32(p + 4) << 32;
	const struct {
		const char *field;
		uint64_t got, want;
	} f[] = {
		{ "magic", magic, REF_MAGIC },
		{ "version_major", p[8] | p[9] << 8, 1 },
		{ "version_minor", p[10] | p[11] << 8, 0 },
		{ "vgt_id", le32(p + 0xc), (uint64_t)v->id },
		{ "vgt_caps", le32(p + 0x10), REF_CAPS },
		{ "mappable_base", le32(p + 0x40), v->low_start },
		{ "mappable_size", le32(p + 0x44), ref_types[v->type].low },
		{ "unmappable_base", le32(p + 0x48), v->high_start },
		{ "unmappable_size", le32(p + 0x4c), ref_types[v->type].high },
		{ "fence_num", le32(p + 0x50), ref_types[v->type].fence },
	};

	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++)
		if (f[k].got != f[k].want) {
			char field[48];

			snprintf(field, sizeof(field), "page-%s", f[k].field);
			return find(VGTF_SIG_E2E, i, name, field,
				    "vGPU %d's PV-info page: %s = 0x%" PRIx64 ", expected 0x%" PRIx64, v->id,
				    f[k].field, f[k].got, f[k].want);
		}
	return false;
}

/* After every op: the host's GGTT, accounting and fence pool against the live vGPUs; every booted
 * guest's view against its allocation and against every other guest and the host's ranges. */
static bool check_world(int i, const char *name)
{
	uint64_t low = 0, high = 0, fences = 0, a_low, a_high, a_fences;
	int free_ids[64];
	bool granted[KHOST_FENCES] = { false };
	unsigned int n_free = khost_free_fences(free_ids, 64), n_live = 0;
	struct khost_range nodes[VGTF_MAX_PRE + 2 * KHOST_MAX_VGPUS + 2];
	size_t n_nodes = khost_nodes(nodes, sizeof(nodes) / sizeof(nodes[0]));

	if (khost_warns() != W.warns)
		return find(VGTF_SIG_KERNEL_WARN, i, name, "host", "the lifted host code hit a WARN");
	for (unsigned int s = 0; s < KHOST_MAX_VGPUS; s++) {
		const struct khost_vgpu *v = &W.v[s];

		if (!v->live)
			continue;
		n_live++;
		low += ref_types[v->type].low;
		high += ref_types[v->type].high;
		fences += v->fence_num;
		if (v->low_size != ref_types[v->type].low || v->high_size != ref_types[v->type].high)
			return find(VGTF_SIG_E2E, i, name, "gm-size",
				    "vGPU %d of type %u holds %#" PRIx64 "/%#" PRIx64 " of GM, its type is %#" PRIx64
				    "/%#" PRIx64,
				    v->id, v->type, v->low_size, v->high_size, ref_types[v->type].low,
				    ref_types[v->type].high);
		if (v->low_start + v->low_size > W.M || v->high_start < W.M || v->high_start + v->high_size > W.total)
			return find(VGTF_SIG_E2E, i, name, "gm-range",
				    "vGPU %d's GM [%#" PRIx64 "+%#" PRIx64 "] [%#" PRIx64 "+%#" PRIx64
				    "] leaves its range (aperture ends at %#" PRIx64 ")",
				    v->id, v->low_start, v->low_size, v->high_start, v->high_size, W.M);
		if (v->fence_num != ref_types[v->type].fence)
			return find(VGTF_SIG_E2E, i, name, "fence-grant", "vGPU %d holds %u fences, its type %u", v->id,
				    v->fence_num, ref_types[v->type].fence);
		for (uint32_t k = 0; k < v->fence_num && k < 32; k++) {
			int id = v->fence_ids[k];

			if (id < 0 || id >= KHOST_FENCES || granted[id])
				return find(VGTF_SIG_E2E, i, name, "fence-shared",
					    "vGPU %d's fence %u is host fence %d, "
					    "granted twice or not a fence",
					    v->id, k, id);
			granted[id] = true;
			for (unsigned int j = 0; j < n_free && j < 64; j++)
				if (free_ids[j] == id)
					return find(VGTF_SIG_E2E, i, name, "fence-still-free",
						    "host fence %d is granted to "
						    "vGPU %d and still in the host's free list",
						    id, v->id);
		}
		/* Isolation, host side: the vGPU's GM is disjoint from the host's own ranges. */
		for (size_t k = 0; k < W.n_setup; k++)
			if (overlap(v->low_start, v->low_size, W.setup_nodes[k].start, W.setup_nodes[k].size) ||
			    overlap(v->high_start, v->high_size, W.setup_nodes[k].start, W.setup_nodes[k].size))
				return find(VGTF_SIG_E2E, i, name, "isolation-host",
					    "vGPU %d's GM overlaps the host's "
					    "range [%#" PRIx64 "+%#" PRIx64 "]",
					    v->id, W.setup_nodes[k].start, W.setup_nodes[k].size);
	}
	/* Conservation, continuously: the fence pool and the accounting add up. */
	if (n_free + fences != KHOST_FENCES)
		return find(VGTF_SIG_E2E, i, name, "fence-conservation",
			    "%u free host fences + %" PRIu64 " granted != %u", n_free, fences, KHOST_FENCES);
	khost_allocated(&a_low, &a_high, &a_fences);
	if (a_low != low || a_high != high || a_fences != fences)
		return find(VGTF_SIG_E2E, i, name, "accounting",
			    "the host accounts %#" PRIx64 "/%#" PRIx64 "/%" PRIu64
			    " for its live vGPUs, which hold %#" PRIx64 "/%#" PRIx64 "/%" PRIu64,
			    a_low, a_high, a_fences, low, high, fences);
	if (n_nodes != W.n_setup + 2 * n_live)
		return find(VGTF_SIG_E2E, i, name, "host-nodes",
			    "the host GGTT holds %zu nodes: %zu of its own + 2 per "
			    "live vGPU (%u) expected",
			    n_nodes, W.n_setup, n_live);
	if (!n_live) {
		for (size_t k = 0; k < n_nodes; k++)
			if (nodes[k].start != W.setup_nodes[k].start || nodes[k].size != W.setup_nodes[k].size)
				return find(VGTF_SIG_E2E, i, name, "conservation",
					    "no vGPU is live but the host GGTT "
					    "differs from before the first create at node %zu",
					    k);
	}
	/* Isolation, guest side. */
	for (unsigned int s = 0; s < KHOST_MAX_VGPUS; s++) {
		const struct guest_view *g = &W.g[s];

		if (!g->booted)
			continue;
		for (unsigned int k = 0; k < g->n; k++) {
			const struct khost_range *r = &g->r[k];
			const struct khost_vgpu *v = &W.v[s];
			bool inside =
				(r->start >= v->low_start && r->start + r->size <= v->low_start + v->low_size) ||
				(r->start >= v->high_start && r->start + r->size <= v->high_start + v->high_size) ||
				(v->low_start + v->low_size == v->high_start && r->start >= v->low_start &&
				 r->start + r->size <= v->high_start + v->high_size);

			if (!inside)
				return find(VGTF_SIG_E2E, i, name, "isolation-guest",
					    "vGPU %d's guest may use [%#" PRIx64 "+%#" PRIx64
					    "], outside what the host allocated to it",
					    v->id, r->start, r->size);
			for (unsigned int t = 0; t < KHOST_MAX_VGPUS; t++) {
				if (t == s || !W.g[t].booted)
					continue;
				for (unsigned int u = 0; u < W.g[t].n; u++)
					if (overlap(r->start, r->size, W.g[t].r[u].start, W.g[t].r[u].size))
						return find(VGTF_SIG_E2E, i, name, "isolation-guests",
							    "the guests of vGPU %d "
							    "and vGPU %d may both use GGTT at %#" PRIx64,
							    v->id, W.v[t].id,
							    r->start > W.g[t].r[u].start ? r->start :
											   W.g[t].r[u].start);
			}
		}
	}
	return false;
}

static bool op_create(int i, const char *name, unsigned int type, int *ret_out)
{
	struct khost_range holes[VGTF_MAX_PRE + 2 * KHOST_MAX_VGPUS + 4];
	size_t n_holes = khost_holes(holes, sizeof(holes) / sizeof(holes[0]));
	int64_t b_low = (int64_t)W.M - (int64_t)REF_HOST_LOW,
		b_high = (int64_t)(W.total - W.M) - (int64_t)REF_HOST_HIGH;
	int64_t b_fence = KHOST_FENCES - REF_HOST_FENCE;
	unsigned int slot = 0, writes_n;
	int used_ids = 0, want_id = 1, ret;
	bool rule, room;
	struct khost_write wr[KHOST_MAX_WRITES];

	for (unsigned int s = 0; s < KHOST_MAX_VGPUS; s++)
		if (W.v[s].live) {
			b_low -= (int64_t)ref_types[W.v[s].type].low;
			b_high -= (int64_t)ref_types[W.v[s].type].high;
			b_fence -= ref_types[W.v[s].type].fence;
			used_ids |= 1 << W.v[s].id;
		}
	while (used_ids & (1 << want_id))
		want_id++;
	/* The instance rule: a create succeeds only within the vGPU budget of every resource and the
	 * id space; instances = min((aperture - 128M) / low, (hidden - 384M) / high) on an empty host. */
	rule = want_id <= REF_MAX_ID && b_low >= (int64_t)ref_types[type].low &&
	       b_high >= (int64_t)ref_types[type].high && b_fence >= (int64_t)ref_types[type].fence;
	room = fits_anywhere(holes, n_holes, ref_types[type].low, 0, W.M) &&
	       fits_anywhere(holes, n_holes, ref_types[type].high, W.M, W.total);
	khost_writes_clear();
	ret = khost_create(type, &slot);
	*ret_out = ret;
	refresh();
	if (ret && rule)
		return find(VGTF_SIG_E2E, i, name, room ? "instance-rule-refused" : "instance-rule-no-room",
			    "creating a vGPU of type %u failed (%d) although the instance rule allows it%s", type, ret,
			    room ? "" : " (no hole holds its GM: host ranges or fragmentation)");
	if (!ret && !rule)
		return find(VGTF_SIG_E2E, i, name,
			    W.M < REF_HOST_LOW || W.total - W.M < REF_HOST_HIGH ? "instance-rule-exceeded-underflow" :
										  "instance-rule-exceeded",
			    "a vGPU of type %u was created beyond the "
			    "instance rule (budget left: low %" PRId64 ", high %" PRId64 ", fences %" PRId64 ", id %d)",
			    type, b_low, b_high, b_fence, want_id);
	if (ret)
		return false;
	if (W.v[slot].id != want_id)
		return find(VGTF_SIG_E2E, i, name, "id", "the new vGPU got id %d, the lowest free is %d", W.v[slot].id,
			    want_id);
	/* Placement: low GM lowest-first in the aperture (PIN_MAPPABLE: LOW). */
	if (W.v[slot].low_start != lowest_fit(holes, n_holes, ref_types[type].low, 0, W.M))
		return find(VGTF_SIG_E2E, i, name, "placement-low",
			    "low GM at %#" PRIx64 ", the lowest fit is %#" PRIx64, W.v[slot].low_start,
			    lowest_fit(holes, n_holes, ref_types[type].low, 0, W.M));
	/* Fences: creating clears exactly the granted fence registers, to 0. */
	writes_n = khost_writes(wr, KHOST_MAX_WRITES);
	for (unsigned int k = 0; k < writes_n && k < KHOST_MAX_WRITES; k++) {
		bool ok = false;

		for (uint32_t j = 0; j < W.v[slot].fence_num; j++)
			ok |= (wr[k].reg & ~4u) == 0x100000u + 8u * (uint32_t)W.v[slot].fence_ids[j];
		if (!ok || wr[k].val)
			return find(VGTF_SIG_E2E, i, name, "fence-write",
				    "creating vGPU %d wrote %#x to register %#x, "
				    "not a zero to a fence it was granted",
				    W.v[slot].id, wr[k].val, wr[k].reg);
	}
	return check_page(i, name, slot);
}

/* The guest's fence set-up from the same page: it may program only fence registers (the 32 of the
 * bank, I915_MAX_NUM_FENCES), only those the page grants, only those the host really granted, and
 * only to clear them. */
static bool boot_fences(int i, const char *name, unsigned int s)
{
	static struct khost_write wr[KHOST_MAX_WRITES];
	const struct khost_vgpu *v = &W.v[s];
	uint32_t page_num = le32(khost_page(s) + 0x50);
	unsigned int n_wr, warns = khost_warns();
	int num = kfence_guest_init(khost_page(s), true, W.M, wr, KHOST_MAX_WRITES, &n_wr);

	if (khost_warns() != warns) {
		W.warns = khost_warns();
		return find(VGTF_SIG_E2E, i, name, "fence-alloc-warn",
			    "vGPU %d's guest WARNs setting up fence_num = "
			    "%" PRIu32 " fences (%d set up)",
			    v->id, page_num, num);
	}
	if (num < 0 || (uint32_t)num > page_num)
		return find(VGTF_SIG_E2E, i, name, "fence-count",
			    "vGPU %d's guest set up %d fences, its page says %" PRIu32, v->id, num, page_num);
	if (n_wr > 2 * 3 * 32u) /* 3 writes per fence; the log keeps the first KHOST_MAX_WRITES */
		return find(VGTF_SIG_E2E, i, name, "fence-beyond-bank",
			    "vGPU %d's guest (fence_num = %" PRIu32
			    ") makes %u register writes for %d fences: past the 32 fence registers "
			    "(I915_MAX_NUM_FENCES), from %#x on",
			    v->id, page_num, n_wr, num, 0x100000u + 8u * 32);
	for (unsigned int k = 0; k < n_wr && k < KHOST_MAX_WRITES; k++) {
		uint32_t idx = (wr[k].reg - 0x100000u) / 8;

		if (idx >= 32)
			return find(VGTF_SIG_E2E, i, name, "fence-beyond-bank",
				    "vGPU %d's guest (fence_num = %" PRIu32 ") writes register %#x, fence %" PRIu32
				    ": past the 32 fence registers "
				    "(I915_MAX_NUM_FENCES)",
				    v->id, page_num, wr[k].reg, idx);
	}
	for (unsigned int k = 0; k < n_wr && k < KHOST_MAX_WRITES; k++) {
		uint32_t idx = (wr[k].reg - 0x100000u) / 8;

		if (wr[k].reg < 0x100000u || wr[k].val)
			return find(VGTF_SIG_E2E, i, name, "fence-write",
				    "vGPU %d's guest wrote %#x to register %#x "
				    "setting up its fences",
				    v->id, wr[k].val, wr[k].reg);
		if (idx >= page_num || idx >= v->fence_num)
			return find(VGTF_SIG_E2E, i, name,
				    W.g[s].lied ? "fence-beyond-grant-lied" : "fence-beyond-grant",
				    "vGPU %d's guest programs fence %" PRIu32
				    "; the host granted %u (the page says %" PRIu32 ")",
				    v->id, idx, v->fence_num, page_num);
	}
	return false;
}

static bool op_boot(int i, const char *name, unsigned int s)
{
	const struct khost_vgpu *v = &W.v[s];
	struct kgtt_range h[8];
	size_t n;
	int ret;

	kgtt_reset();
	kgtt_init(0, W.total, W.M, false);
	kgtt_set_page(0, khost_page(s), KGTT_PAGE_SIZE);
	kgtt_detect(0);
	if (!kgtt_active(0))
		return find(VGTF_SIG_E2E, i, name, "detect",
			    "vGPU %d's guest does not detect a vGPU in the page the host "
			    "wrote",
			    v->id);
	ret = kgtt_balloon(0);
	if (ret)
		return find(VGTF_SIG_E2E, i, name, "balloon", "vGPU %d's guest refuses the page the host wrote (%d)",
			    v->id, ret);
	n = kgtt_holes(0, h, 8);
	W.g[s].booted = true;
	W.g[s].n = 0;
	for (size_t k = 0; k < n && k < 4; k++)
		W.g[s].r[W.g[s].n++] = (struct khost_range){ h[k].start, h[k].size, 0 };
	/* The guest's free GGTT is exactly its allocation: both slices, nothing else (one range when
	 * the host placed the hidden slice right after the aperture slice: BEST after HIGH|ONCE). */
	if (v->low_start + v->low_size == v->high_start ?
		    n != 1 || h[0].start != v->low_start || h[0].size != v->low_size + v->high_size :
		    n != 2 || h[0].start != v->low_start || h[0].size != v->low_size || h[1].start != v->high_start ||
			    h[1].size != v->high_size)
		return find(VGTF_SIG_E2E, i, name, "guest-free-space",
			    "vGPU %d's guest has %zu free ranges after "
			    "ballooning, the first [%#" PRIx64 "+%#" PRIx64 "]; its allocation is [%#" PRIx64
			    "+%#" PRIx64 "] and [%#" PRIx64 "+%#" PRIx64 "]",
			    v->id, n, n ? h[0].start : 0, n ? h[0].size : 0, v->low_start, v->low_size, v->high_start,
			    v->high_size);
	kgtt_deballoon(0);
	if (!kgtt_clean(0))
		return find(VGTF_SIG_E2E, i, name, "deballoon", "vGPU %d's guest GGTT is not empty after deballooning",
			    v->id);
	return boot_fences(i, name, s);
}

static void json_world(FILE *o, int i, int ret)
{
	struct khost_range nodes[VGTF_MAX_PRE + 2 * KHOST_MAX_VGPUS + 2];
	size_t n = khost_nodes(nodes, sizeof(nodes) / sizeof(nodes[0]));

	fprintf(o, "%s{\"op\":%d,\"ret\":%d,\"host\":[", i < 0 ? "" : ",", i, ret);
	for (size_t k = 0; k < n && k < sizeof(nodes) / sizeof(nodes[0]); k++)
		fprintf(o, "%s[%" PRIu64 ",%" PRIu64 "]", k ? "," : "", nodes[k].start, nodes[k].size);
	fprintf(o, "],\"vgpus\":[");
	for (unsigned int s = 0, c = 0; s < KHOST_MAX_VGPUS; s++) {
		const struct khost_vgpu *v = &W.v[s];

		if (!v->live)
			continue;
		fprintf(o,
			"%s{\"id\":%d,\"type\":%u,\"low\":[%" PRIu64 ",%" PRIu64 "],\"high\":[%" PRIu64 ",%" PRIu64
			"],\"fences\":[",
			c++ ? "," : "", v->id, v->type, v->low_start, v->low_size, v->high_start, v->high_size);
		for (uint32_t k = 0; k < v->fence_num && k < 32; k++)
			fprintf(o, "%s%d", k ? "," : "", v->fence_ids[k]);
		fprintf(o, "],\"guest\":");
		if (W.g[s].booted) {
			fputc('[', o);
			for (unsigned int k = 0; k < W.g[s].n; k++)
				fprintf(o, "%s[%" PRIu64 ",%" PRIu64 "]", k ? "," : "", W.g[s].r[k].start,
					W.g[s].r[k].size);
			fputc(']', o);
		} else {
			fprintf(o, "null");
		}
		fputc('}', o);
	}
	fprintf(o, "]}");
}

static bool gvt_run(const struct vgtf_scenario *sc, struct vgtf_finding *f, FILE *json);

/* The JSON goes out whole or not at all: a run the lifted code crashes must leave no half object
 * (the replayer then sees a crash, as for the other targets). */
bool vgtf_gvt_run(const struct vgtf_scenario *sc, struct vgtf_finding *f, FILE *json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *buf;
	bool hit;

	if (!json)
		return gvt_run(sc, f, NULL);
	buf = open_memstream(&text, &len);
	if (!buf) {
		fprintf(stderr, "vgtfuzz: out of memory for the gvt target's JSON\n");
		exit(2);
	}
	hit = gvt_run(sc, f, buf);
	fclose(buf);
	fwrite(text, 1, len, json);
	free(text);
	return hit;
}

static bool gvt_run(const struct vgtf_scenario *sc, struct vgtf_finding *f, FILE *json)
{
	const struct vgtf_device *host = &sc->dev[0];
	bool hit = false;

	memset(&W, 0, sizeof(W));
	W.sc = sc;
	W.f = f;
	W.total = host->total;
	W.M = host->mappable_end;
	kgtt_reset(); /* the kernel-event counters too */
	khost_reset(W.total, W.M, host->color_adjust);
	for (unsigned int k = 0; k < host->n_pre; k++)
		khost_reserve(host->pre[k].start, host->pre[k].size);
	W.n_setup = khost_nodes(W.setup_nodes, sizeof(W.setup_nodes) / sizeof(W.setup_nodes[0]));
	W.warns = khost_warns();
	cur_op_name = "setup";
	{
		struct khost_type t[KHOST_MAX_TYPES];
		unsigned int n = khost_types(t, KHOST_MAX_TYPES), want = 0;

		/* The listing rule (intel_gvt_init_vgpu_types()): types in order while the aperture's vGPU
		 * budget, in 32-bit unsigned arithmetic as there, holds one low slice. */
		while (want < N_REF_TYPES && (uint32_t)(W.M - REF_HOST_LOW) / ref_types[want].low)
			want++;
		W.n_types = n;
		if (n != want)
			hit = find(VGTF_SIG_E2E, -1, "setup", "type-list",
				   "the host offers %u vGPU types, the listing rule %u", n, want);
		for (unsigned int k = 0; !hit && k < n; k++)
			if (t[k].low != ref_types[k].low || t[k].high != ref_types[k].high ||
			    t[k].fence != ref_types[k].fence)
				hit = find(VGTF_SIG_E2E, -1, "setup", "type-table",
					   "vGPU type %u (\"%s\") is %#" PRIx64 "/%#" PRIx64
					   "/%u fences; GVT's is %#" PRIx64 "/%#" PRIx64 "/%u",
					   k, t[k].name, t[k].low, t[k].high, t[k].fence, ref_types[k].low,
					   ref_types[k].high, ref_types[k].fence);
	}
	if (json) {
		fprintf(json, "{\"gvt\":{\"total\":%" PRIu64 ",\"mappable_end\":%" PRIu64 ",\"types\":%u,\"steps\":[",
			W.total, W.M, W.n_types);
		json_world(json, -1, 0);
	}
	for (unsigned int i = 0; !hit && i < sc->n_ops; i++) {
		const struct vgtf_op *op = &sc->ops[i];
		const char *name = vgtf_op_names[op->kind];
		unsigned int slots[KHOST_MAX_VGPUS], n_live = live_slots(slots);
		int ret = 0;

		cur_op_name = name;
		switch (op->kind) {
		case VGTF_OP_CREATE:
			if (!W.n_types) {
				ret = -ENODEV;
				break;
			}
			hit = op_create((int)i, name, op->index % W.n_types, &ret);
			break;
		case VGTF_OP_DESTROY:
			if (!n_live) {
				ret = -ENOENT;
				break;
			}
			khost_writes_clear();
			ret = khost_destroy(slots[op->index % n_live]);
			refresh();
			break;
		case VGTF_OP_FENCE_NUM:
			if (!n_live) {
				ret = -ENOENT;
				break;
			}
			khost_page_write(slots[0], 0x50, op->value);
			W.g[slots[0]].lied = true;
			break;
		case VGTF_OP_BOOT:
			if (!n_live) {
				ret = -ENOENT;
				break;
			}
			hit = op_boot((int)i, name, slots[op->index % n_live]);
			break;
		default:
			break;
		}
		if (!hit)
			hit = check_world((int)i, name);
		if (json)
			json_world(json, (int)i, ret);
	}
	cur_op_name = "setup";
	if (json)
		fprintf(json, "]}");
	/* On a 32-bit build the guest's balloon arithmetic is unsigned long, which cannot hold the
	 * end of a 4 GiB GGTT (reports/findings.md, finding 2): whatever oracle shows it first, a
	 * finding there is the word-size finding. */
	if (hit && sizeof(unsigned long) < 8 && f->cls == VGTF_SIG_E2E && W.total > UINT32_MAX) {
		char sig[sizeof(f->sig)];

		snprintf(sig, sizeof(sig), "%s/%s", vgtf_sig_names[VGTF_SIG_I386], strchr(f->sig, '/') + 1);
		memcpy(f->sig, sig, sizeof(sig));
		f->cls = VGTF_SIG_I386;
		f->accepted = vgtf_accepted(f->sig);
	}
	return hit;
}
#else
bool vgtf_gvt_run(const struct vgtf_scenario *sc, struct vgtf_finding *f, FILE *json)
{
	(void)sc;
	(void)f;
	(void)json;
	fprintf(stderr, "vgtfuzz: the gvt target needs the host side lifted, which this kernel tree's build lacks "
			"(see host_refused in its LIFTED.json)\n");
	exit(2);
}
#endif
