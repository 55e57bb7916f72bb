/*
 * The lifted intel_vgpu_detect / intel_vgt_balloon / intel_vgt_deballoon, driven through kgtt on
 * PV-info pages built in memory. Every expectation is worked by hand from the kernel's rules
 * (docs/kernel.md, "Ballooning") and written down here as numbers.
 */
#include <string.h>

#include "check.h"
#include "kgtt.h"

#define KiB 0x400ull
#define MiB 0x100000ull
#define GiB 0x40000000ull
#define G4 (4 * GiB)
#define M512 (512 * MiB)
#define UNEVICTABLE (-1)

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A PV-info page as the GVT host writes it: magic, version 1.0, caps, the guest's two slices. */
static void make_page(uint8_t *page, uint64_t mbase, uint64_t msize, uint64_t ubase, uint64_t usize)
{
	static const uint8_t magic[8] = { 'v', 'G', 'T', 'v', 'G', 'T', 'v', 'G' };

	memset(page, 0, KGTT_PAGE_SIZE);
	memcpy(page, magic, 8); /* 0x4776544776544776 little-endian */
	page[0x08] = 1; /* version_major */
	put32(page + 0x10, 1u << 2); /* caps: full PPGTT */
	put32(page + 0x40, (uint32_t)mbase);
	put32(page + 0x44, (uint32_t)msize);
	put32(page + 0x48, (uint32_t)ubase);
	put32(page + 0x4c, (uint32_t)usize);
}

struct want {
	uint64_t start, size;
};

/* The GGTT holds exactly `n` nodes, all unevictable balloon nodes, as listed (address order). */
static void check_nodes(const struct want *want, size_t n)
{
	struct kgtt_range got[16];
	size_t count = kgtt_nodes(0, got, 16);

	CHECK_EQ(count, n);
	for (size_t i = 0; i < n && i < count; i++) {
		CHECK_EQ(got[i].start, want[i].start);
		CHECK_EQ(got[i].size, want[i].size);
		CHECK_EQ(got[i].color, UNEVICTABLE);
	}
}

static void check_structure(void)
{
	char why[256] = "";
	int rc = kgtt_check(0, why, sizeof(why));

	if (rc)
		fprintf(stderr, "structure: %s\n", why);
	CHECK_EQ(rc, 0);
}

static int boot(const uint8_t *page, uint64_t total, uint64_t mappable_end)
{
	kgtt_reset();
	CHECK_EQ(kgtt_init(0, total, mappable_end, false), 0);
	kgtt_set_page(0, page, KGTT_PAGE_SIZE);
	kgtt_detect(0);
	return kgtt_balloon(0);
}

static void deballoon_leaves_clean(void)
{
	kgtt_deballoon(0);
	CHECK(kgtt_clean(0));
	CHECK_EQ(kgtt_reserved(0), 0);
	check_structure();
	kgtt_deballoon(0); /* a second deballoon finds nothing allocated and does nothing */
	CHECK(kgtt_clean(0));
	CHECK_EQ(kgtt_warns(), 0);
}

/*
 * The seed's picture: a 4 GiB GGTT with a 512 MiB aperture shared by vGPU3, vGPU2, vGPU1 and the
 * host, in that order from address 0 in both parts. Aperture slices are 128 MiB; the hidden part
 * (3.5 GiB) is cut in four 896 MiB slices: 0x20000000, 0x58000000, 0x90000000, 0xc8000000.
 */
static void seed_picture(void)
{
	uint8_t page[KGTT_PAGE_SIZE];

	/* vGPU1: aperture [256M, 384M), hidden [0x90000000, 0xc8000000). All four regions. */
	make_page(page, 256 * MiB, 128 * MiB, 0x90000000, 896 * MiB);
	if (sizeof(long) == 4) {
		/* i386: `unsigned long ggtt_end = ggtt->vm.total` truncates 4 GiB to 0, so the hidden
		 * end exceeds it and every 4 GiB balloon is refused. The kernel's behaviour. */
		CHECK_EQ(boot(page, G4, M512), -22);
		CHECK(kgtt_clean(0));
		CHECK_EQ(kgtt_reserved(0), 0);
		return;
	}
	CHECK_EQ(boot(page, G4, M512), 0);
	CHECK(kgtt_active(0));
	CHECK_EQ(kgtt_caps(0), 4);
	{
		const struct want w[] = {
			{ 0, 256 * MiB }, /* space[0] [0, mappable base) */
			{ 384 * MiB, 128 * MiB }, /* space[1] [mappable end, M) */
			{ M512, 0x90000000 - M512 }, /* space[2] [M, hidden base) */
			{ 0xc8000000, G4 - 0xc8000000 }, /* space[3] [hidden end, G) */
		};
		check_nodes(w, 4);
	}
	CHECK_EQ(kgtt_reserved(0), 3 * GiB); /* everything but its 128 MiB + 896 MiB */
	check_structure();
	deballoon_leaves_clean();

	/* vGPU3: aperture [0, 128M), hidden [512M, 0x58000000): no space[0], no space[2]. */
	make_page(page, 0, 128 * MiB, M512, 896 * MiB);
	CHECK_EQ(boot(page, G4, M512), 0);
	{
		const struct want w[] = {
			{ 128 * MiB, 384 * MiB }, /* space[1] */
			{ 0x58000000, G4 - 0x58000000 }, /* space[3] */
		};
		check_nodes(w, 2);
	}
	CHECK_EQ(kgtt_reserved(0), 3 * GiB);
	deballoon_leaves_clean();

	/* vGPU2: aperture [128M, 256M), hidden [0x58000000, 0x90000000). */
	make_page(page, 128 * MiB, 128 * MiB, 0x58000000, 896 * MiB);
	CHECK_EQ(boot(page, G4, M512), 0);
	{
		const struct want w[] = {
			{ 0, 128 * MiB },
			{ 256 * MiB, 256 * MiB },
			{ M512, 0x58000000 - M512 },
			{ 0x90000000, G4 - 0x90000000 },
		};
		check_nodes(w, 4);
	}
	CHECK_EQ(kgtt_reserved(0), 3 * GiB);
	deballoon_leaves_clean();

	/* The host's own slices, seen as if a guest had them: ends at M and at G, nothing above. */
	make_page(page, 384 * MiB, 128 * MiB, 0xc8000000, 896 * MiB);
	CHECK_EQ(boot(page, G4, M512), 0);
	{
		const struct want w[] = { { 0, 384 * MiB }, { M512, 0xc8000000 - M512 } };
		check_nodes(w, 2);
	}
	deballoon_leaves_clean();
}

/* Each of the four regions present or absent: 16 pages on a 2 GiB GGTT with a 256 MiB aperture.
 * Bit 0: mappable base above 0 (space[0]); bit 1: mappable end below M (space[1]); bit 2: hidden
 * base above M (space[2]); bit 3: hidden end below G (space[3]). Each present region is 1 MiB. */
static void sixteen_combinations(void)
{
	const uint64_t G = 2 * GiB, M = 256 * MiB;

	for (unsigned int bits = 0; bits < 16; bits++) {
		uint64_t mbase = (bits & 1) ? MiB : 0;
		uint64_t mend = (bits & 2) ? M - MiB : M;
		uint64_t ubase = (bits & 4) ? M + MiB : M;
		uint64_t uend = (bits & 8) ? G - MiB : G;
		uint8_t page[KGTT_PAGE_SIZE];
		struct want w[4];
		size_t n = 0;

		if (bits & 1)
			w[n++] = (struct want){ 0, MiB };
		if (bits & 2)
			w[n++] = (struct want){ M - MiB, MiB };
		if (bits & 4)
			w[n++] = (struct want){ M, MiB };
		if (bits & 8)
			w[n++] = (struct want){ G - MiB, MiB };
		make_page(page, mbase, mend - mbase, ubase, uend - ubase);
		CHECK_EQ(boot(page, G, M), 0);
		check_nodes(w, n);
		CHECK_EQ(kgtt_reserved(0), n * MiB);
		check_structure();
		deballoon_leaves_clean();
	}
}

/* The three comparisons, each on both sides of its boundary; -EINVAL leaves nothing behind. */
static void validation(void)
{
	const uint64_t G = 2 * GiB, M = 256 * MiB;
	uint8_t page[KGTT_PAGE_SIZE];

	make_page(page, 0, M, M, G - M); /* the whole GGTT: nothing to balloon */
	CHECK_EQ(boot(page, G, M), 0);
	CHECK(kgtt_clean(0));
	make_page(page, 0, M + 4 * KiB, M + 4 * KiB, G - M - 4 * KiB); /* mappable end past M */
	CHECK_EQ(boot(page, G, M), -22);
	CHECK(kgtt_clean(0));
	make_page(page, 0, M - 4 * KiB, M - 4 * KiB, G - M); /* hidden base below M */
	CHECK_EQ(boot(page, G, M), -22);
	CHECK(kgtt_clean(0));
	make_page(page, 0, M, M, G - M + 4 * KiB); /* hidden end past G */
	CHECK_EQ(boot(page, G, M), -22);
	CHECK(kgtt_clean(0));
	CHECK_EQ(kgtt_reserved(0), 0);
	/* Only those three: overlapping and empty slices pass (docs/kernel.md: nothing else is checked). */
	make_page(page, 16 * MiB, 0, M, 0); /* both slices empty */
	CHECK_EQ(boot(page, G, M), 0);
	{
		const struct want w[] = { { 0, 16 * MiB }, { 16 * MiB, M - 16 * MiB }, { M, G - M } };
		check_nodes(w, 3);
	}
	deballoon_leaves_clean();
}

/* Not a vGPU: balloon and deballoon return at once. */
static void detection(void)
{
	const uint64_t G = 2 * GiB, M = 256 * MiB;
	uint8_t page[KGTT_PAGE_SIZE];

	make_page(page, MiB, MiB, M + MiB, MiB);
	page[0] ^= 1; /* wrong magic */
	CHECK_EQ(boot(page, G, M), 0);
	CHECK(!kgtt_active(0));
	CHECK(kgtt_clean(0));
	make_page(page, MiB, MiB, M + MiB, MiB);
	page[0x08] = 0; /* version 0.x */
	CHECK_EQ(boot(page, G, M), 0);
	CHECK(!kgtt_active(0));
	CHECK(kgtt_clean(0));
	make_page(page, MiB, MiB, M + MiB, MiB);
	page[0x08] = 7; /* a newer major version is accepted */
	CHECK_EQ(boot(page, G, M), 0);
	CHECK(kgtt_active(0));
	CHECK_EQ(kgtt_nodes(0, NULL, 0), 4);
	deballoon_leaves_clean();
}

/* A pre-existing unevictable node in the way of each step: -ENOSPC and the unwind leaves only
 * that node. Steps run 2, 3, 0, 1; the blocker sits inside the failing step's range. */
static void unwind(void)
{
	const uint64_t G = 2 * GiB, M = 256 * MiB;
	const uint64_t blocker[4] = { 0, M - MiB, M, G - MiB }; /* inside space[0], [1], [2], [3] */
	uint8_t page[KGTT_PAGE_SIZE];

	make_page(page, MiB, M - 2 * MiB, M + MiB, G - M - 2 * MiB); /* all four regions, 1 MiB each */
	for (int slot = 0; slot < 4; slot++) {
		struct kgtt_range got[8];

		kgtt_reset();
		CHECK_EQ(kgtt_init(0, G, M, false), 0);
		CHECK_EQ(kgtt_reserve(0, blocker[slot], 4 * KiB, UNEVICTABLE, false), 0);
		kgtt_set_page(0, page, sizeof(page));
		kgtt_detect(0);
		CHECK_EQ(kgtt_balloon(0), -28);
		CHECK_EQ(kgtt_nodes(0, got, 8), 1);
		CHECK_EQ(got[0].start, blocker[slot]);
		CHECK_EQ(got[0].size, 4 * KiB);
		CHECK_EQ(kgtt_reserved(0), 0);
		check_structure();
		kgtt_deballoon(0); /* after a failed balloon: nothing to give back */
		CHECK_EQ(kgtt_nodes(0, NULL, 0), 1);
		CHECK_EQ(kgtt_evictions(), 0);
	}
}

/* An evictable object in a balloon range is unbound, a pinned one refuses (flags 0: may evict). */
static void eviction(void)
{
	const uint64_t G = 2 * GiB, M = 256 * MiB;
	uint8_t page[KGTT_PAGE_SIZE];

	make_page(page, 0, M, M, G - M - MiB); /* only space[3] = [G - 1 MiB, G) */
	kgtt_reset();
	CHECK_EQ(kgtt_init(0, G, M, false), 0);
	CHECK_EQ(kgtt_reserve(0, G - 64 * KiB, 4 * KiB, 0, false), 0);
	kgtt_set_page(0, page, sizeof(page));
	kgtt_detect(0);
	CHECK_EQ(kgtt_balloon(0), 0);
	CHECK_EQ(kgtt_evictions(), 1);
	{
		const struct want w[] = { { G - MiB, MiB } };
		check_nodes(w, 1);
	}
	kgtt_reset();
	CHECK_EQ(kgtt_init(0, G, M, false), 0);
	CHECK_EQ(kgtt_reserve(0, G - 64 * KiB, 4 * KiB, 0, true), 0);
	kgtt_set_page(0, page, sizeof(page));
	kgtt_detect(0);
	CHECK_EQ(kgtt_balloon(0), -28);
	CHECK_EQ(kgtt_nodes(0, NULL, 0), 1);
	CHECK_EQ(kgtt_evictions(), 0);
}

int main(void)
{
	seed_picture();
	sixteen_combinations();
	validation();
	detection();
	unwind();
	eviction();
	return check_report("kernel-balloon");
}
