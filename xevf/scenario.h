/* The decoded xevf test case (xevf/format.def is the one description of the bytes). */
#ifndef XEVF_SCENARIO_H
#define XEVF_SCENARIO_H
#include <stddef.h>
#include <stdint.h>

#define XEVF_CONST(name, value, doc) enum { XEVF_##name = (value) };
#define XEVF_FIELD(name, off, width, doc)
#define XEVF_OP(name, value, doc)
#include "format.def"
#undef XEVF_CONST
#undef XEVF_FIELD
#undef XEVF_OP

enum xevf_op_kind {
#define XEVF_CONST(name, value, doc)
#define XEVF_FIELD(name, off, width, doc)
#define XEVF_OP(name, value, doc) XEVF_OP_##name = (value),
#include "format.def"
#undef XEVF_CONST
#undef XEVF_FIELD
#undef XEVF_OP
	XEVF_OP_COUNT
};

struct xevf_op {
	enum xevf_op_kind kind;
	uint8_t a;
	uint16_t b;
	uint32_t c;
};

struct xevf_scenario {
#define XEVF_CONST(name, value, doc)
#define XEVF_FIELD(name, off, width, doc) uint64_t name;
#define XEVF_OP(name, value, doc)
#include "format.def"
#undef XEVF_CONST
#undef XEVF_FIELD
#undef XEVF_OP
	uint64_t wopcm; /* bytes, from wopcm_code */
	size_t nops;
	struct xevf_op ops[XEVF_MAX_OPS];
};

/* Reply shape accessors (format.def, REPLY SHAPE). */
#define XEVF_SHAPE_STATUS(s) ((unsigned)(s)&3u)
#define XEVF_SHAPE_MBZ(s) (((unsigned)(s) >> 2) & 1u)
#define XEVF_SHAPE_LENGTH(s) ((((unsigned)(s) >> 3) & 7u) ^ 2u)
enum { XEVF_STATUS_SUCCESS, XEVF_STATUS_RETRY, XEVF_STATUS_BUSY, XEVF_STATUS_FAILURE };

/* alloc op arguments (format.def, OPS). */
#define XEVF_ALLOC_SIZE(op) ((uint64_t)(((op)->c & 0xfffu) + 1u) * 4096u)
#define XEVF_ALLOC_ALIGN(op) (((op)->a & 7u) ? (uint64_t)4096u << (((op)->a & 7u) - 1u) : 0u)
#define XEVF_ALLOC_MODE(op) (((op)->a >> 3) & 3u)
#define XEVF_ALLOC_RANGE_END(op) ((uint64_t)(op)->b << 20)

/* Decoding never fails: every byte string is a test case. */
void xevf_decode(const uint8_t *data, size_t len, struct xevf_scenario *sc);
const char *xevf_op_name(enum xevf_op_kind kind);
#endif
