"""The 5.8-era drm_mm hole-address walk, put back into a modern tree: the regression test for
upstream fix 18ece75d7d74 ("drm/mm: fix hole size comparison", 5.8, which fixed 0cdea4455acd).

5.7 and 5.8 walked the hole-address tree with two functions, next_hole_high_addr() and
next_hole_low_addr(): from a hole, go to the parent instead of the neighbouring subtree when that
subtree holds no hole large enough OR when the entry's own hole is its subtree's largest. 5.7
compared the entry's NODE size there (a bug: the walk skipped subtrees with holes that fit); the
fix compares its HOLE size. 5.10 replaced both functions with DECLARE_NEXT_HOLE_ADDR. No Debian
tree carries the 5.8 functions, so this module writes them into a copy of a modern tree, in our
own words, with the comparison as it was before (`node`) or after (`hole`) the fix:

    python3 tests/history/drm_mm_58.py TREE DEST_PRE DEST_POST

copies TREE twice (only the files the lifter reads are needed) and rewrites drm_mm.c in each.
"""
import os
import re
import shutil
import sys

# Our re-expression of the 5.8-era walk; CMP is the fix's one expression.
WALK = r"""
/* vgtfuzz tests/history: the 5.8-era hole-address walk (see drm_mm_58.py). */
static struct drm_mm_node *next_hole_high_addr(struct drm_mm_node *entry, u64 size)
{
	struct rb_node *self, *up;

	if (!entry)
		return NULL;
	self = &entry->rb_hole_addr;
	up = rb_parent(self);
	if (self->rb_left && up && up->rb_left != self &&
	    (rb_hole_addr_to_node(self->rb_left)->subtree_max_hole < size ||
	     CMP(entry) == entry->subtree_max_hole))
		return rb_hole_addr_to_node(up);
	return rb_hole_addr_to_node(rb_prev(self));
}

static struct drm_mm_node *next_hole_low_addr(struct drm_mm_node *entry, u64 size)
{
	struct rb_node *self, *up;

	if (!entry)
		return NULL;
	self = &entry->rb_hole_addr;
	up = rb_parent(self);
	if (self->rb_right && up && up->rb_right != self &&
	    (rb_hole_addr_to_node(self->rb_right)->subtree_max_hole < size ||
	     CMP(entry) == entry->subtree_max_hole))
		return rb_hole_addr_to_node(up);
	return rb_hole_addr_to_node(rb_next(self));
}
"""
CMP = {"pre": "(NODE)->size", "post": "HOLE_SIZE(NODE)"}
DRM_MM = os.path.join("drivers", "gpu", "drm", "drm_mm.c")
_DECLS = re.compile(r"^DECLARE_NEXT_HOLE_ADDR\(next_hole_high_addr, rb_left, rb_right\)\n"
                    r"DECLARE_NEXT_HOLE_ADDR\(next_hole_low_addr, rb_right, rb_left\)\n", re.M)


def rewrite(text, which):
    """drm_mm.c text with the two DECLARE_NEXT_HOLE_ADDR uses replaced by the 5.8 walk."""
    if len(_DECLS.findall(text)) != 1:
        raise ValueError("drm_mm.c: the two DECLARE_NEXT_HOLE_ADDR uses are not where expected")
    walk = "#define CMP(NODE) %s\n%s#undef CMP\n" % (CMP[which], WALK)
    return _DECLS.sub(lambda m: walk, text)


def make(tree, dest, which):
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(tree, dest, symlinks=True)
    path = os.path.join(dest, DRM_MM)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(rewrite(text, which))


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: drm_mm_58.py TREE DEST_PRE DEST_POST\n")
        return 2
    make(argv[1], argv[2], "pre")
    make(argv[1], argv[3], "post")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
