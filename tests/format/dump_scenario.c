/*
 * dump_scenario [--target drm_mm] FILE...: decode each file with the harness's decoder and print the
 * scenario as canonical JSON, one object per line, in the shape of
 * scripts/vgtfuzzlib/testcase.py's decode() (tests/format/test_format.py compares the two).
 * Exit 0; 2 if a file cannot be read; 3 if the decoder left bytes past the page prefix non-zero.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

enum {
#define VGTF_CONST(name, value, doc) F_##name = (value),
#include "format.def"
};

static void put_hex(uint64_t v)
{
	printf("\"0x%" PRIx64 "\"", v);
}

static uint64_t le(const uint8_t *p, unsigned int width)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < width; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void put_page_field(const uint8_t *page, const char *name, unsigned int offset, unsigned int width,
			   const char *show, int first)
{
	printf("%s\"%s\":", first ? "" : ",", name);
	if (!strcmp(show, "bytes")) {
		unsigned int n = width, i;

		while (n && !page[offset + n - 1])
			n--;
		putchar('"');
		for (i = 0; i < n; i++)
			printf("%02x", page[offset + i]);
		putchar('"');
	} else if (!strcmp(show, "hex")) {
		put_hex(le(page + offset, width));
	} else {
		printf("%" PRIu64, le(page + offset, width));
	}
}

static const char *prekind_name(int64_t color, bool pinned)
{
#define VGTF_PREKIND(name, value, c, p, doc)      \
	if (color == (c) && pinned == ((p) != 0)) \
		return #name;
#include "format.def"
	return "?";
}

static const char *opkind_name(unsigned int kind)
{
	switch (kind) {
#define VGTF_OPKIND(name, ENUM, value, args, doc) \
	case (value):                             \
		return #name;
#include "format.def"
	default:
		return "?";
	}
}

static int dump(const struct vgtf_scenario *s)
{
	unsigned int i, d;
	int first = 1;

	for (i = F_PAGE_PREFIX; i < VGTF_PAGE_SIZE; i++)
		if (s->page[i])
			return 3;
	printf("{\"target\":\"%s\",\"format_version\":%u,\"page\":{",
	       s->target == VGTF_TARGET_GVT    ? "gvt" :
	       s->target == VGTF_TARGET_DRM_MM ? "drm_mm" :
						 "balloon",
	       s->format_version);
#define VGTF_PAGE(name, offset, width, show, doc)                        \
	put_page_field(s->page, #name, (offset), (width), #show, first); \
	first = 0;
#include "format.def"
	printf("},\"devices\":[");
	for (d = 0; d < s->n_devs; d++) {
		const struct vgtf_device *dv = &s->dev[d];

		printf("%s{\"total\":", d ? "," : "");
		put_hex(dv->total);
		printf(",\"mappable_end\":");
		put_hex(dv->mappable_end);
		printf(",\"color_adjust\":%s,\"pre\":[", dv->color_adjust ? "true" : "false");
		for (i = 0; i < dv->n_pre; i++) {
			const struct vgtf_pre_node *p = &dv->pre[i];

			printf("%s{\"start\":", i ? "," : "");
			put_hex(p->start);
			printf(",\"size\":");
			put_hex(p->size);
			printf(",\"kind\":\"%s\",\"color\":%" PRId64 ",\"pinned\":%s}",
			       prekind_name(p->color, p->pinned), p->color, p->pinned ? "true" : "false");
		}
		printf("]}");
	}
	printf("],\"ops\":[");
	for (i = 0; i < s->n_ops; i++) {
		const struct vgtf_op *op = &s->ops[i];

		printf("%s{\"%s\":{\"dev\":%u", i ? "," : "", opkind_name(op->kind), op->dev);
		if (op->kind == VGTF_OP_ALLOC || op->kind == VGTF_OP_EVICT || op->kind == VGTF_OP_RESERVE) {
			static const char *const modes[] = { "low", "high", "best", "evict" };

			printf(",\"size\":");
			put_hex(op->size);
			printf(",\"alignment\":");
			put_hex(op->alignment);
			printf(",\"range_start\":");
			put_hex(op->range_start);
			printf(",\"range_end\":");
			put_hex(op->range_end);
			printf(",\"mode\":\"%s\",\"once\":%s,\"retry\":%s,\"color\":%" PRId64, modes[op->mode & 3],
			       op->once ? "true" : "false", op->retry ? "true" : "false", op->color);
		} else if (op->kind == VGTF_OP_FREE || op->kind == VGTF_OP_CREATE || op->kind == VGTF_OP_DESTROY ||
			   op->kind == VGTF_OP_BOOT) {
			printf(",\"index\":%u", (unsigned int)op->index);
		} else if (op->kind == VGTF_OP_HOST_WRITE || op->kind == VGTF_OP_FENCE_NUM) {
			printf(",\"offset\":\"0x%x\",\"value\":\"0x%" PRIx32 "\"", (unsigned int)op->offset, op->value);
		}
		printf("}}");
	}
	printf("]}\n");
	return 0;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? 2 * cap : 4096);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	static struct vgtf_scenario s;
	enum vgtf_target target = VGTF_TARGET_BALLOON;
	int i = 1, rc = 0;

	if (argc > 2 && !strcmp(argv[1], "--target")) {
		if (!strcmp(argv[2], "drm_mm"))
			target = VGTF_TARGET_DRM_MM;
		else if (!strcmp(argv[2], "gvt"))
			target = VGTF_TARGET_GVT;
		else if (strcmp(argv[2], "balloon")) {
			fprintf(stderr, "dump_scenario: unknown target %s (balloon, drm_mm, gvt)\n", argv[2]);
			return 2;
		}
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: dump_scenario [--target balloon|drm_mm|gvt] FILE...\n");
		return 2;
	}
	for (; i < argc; i++) {
		size_t len = 0;
		uint8_t *buf = slurp(argv[i], &len);

		if (!buf) {
			fprintf(stderr, "dump_scenario: cannot read %s\n", argv[i]);
			return 2;
		}
		vgtf_decode_target(target, buf, len, &s);
		free(buf);
		if (dump(&s)) {
			fprintf(stderr, "dump_scenario: %s: page bytes past the prefix are not zero\n", argv[i]);
			rc = 3;
		}
	}
	fflush(stdout);
	return rc;
}
