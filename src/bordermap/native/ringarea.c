/*
 * bordermap's ring engine: the exact geodesic area and perimeter of many polygon rings in one call.
 *
 * No geodesic code of its own. Every ring goes through Karney's polygon algorithm as PROJ implements
 * it (geod_polygon_init / geod_polygon_addpoint / geod_polygon_compute, the functions behind
 * pyproj's Geod.polygon_area_perimeter); the caller passes pointers to those functions of the very
 * libproj that pyproj loaded, and a geod_geodesic that libproj initialised. What this file adds is
 * the loop: a million rings in one call instead of a million calls from Python, and, for polygons
 * given as WKB, the walk over the WKB headers that finds each ring's vertices without copying them.
 *
 * Plain C, no Python API: bordermap loads it with ctypes (bordermap/native/__init__.py), which
 * releases the GIL during the call, so several threads measure at once.
 */
#include <stdint.h>
#include <string.h>
#include <math.h>

#define BM_ABI 1

typedef void (*bm_poly_init_fn)(void *polygon, int polylinep);
typedef void (*bm_poly_addpoint_fn)(const void *geod, void *polygon, double lat, double lon);
typedef unsigned (*bm_poly_compute_fn)(const void *geod, const void *polygon, int reverse, int sign,
                                       double *area, double *perimeter);

/* struct geod_polygon is 80 bytes in PROJ's geodesic.h (8 doubles, 2 ints, 1 unsigned); room to spare. */
typedef union { double d[32]; char c[256]; } bm_polygon;

int bm_abi(void) { return BM_ABI; }

static double get_double(const uint8_t *p) {
    double v;
    memcpy(&v, p, sizeof v); /* WKB coordinates need not be aligned */
    return v;
}

static uint32_t get_u32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/*
 * Measure rings whose vertices are 2D (lon, lat) doubles, 16 bytes apart, starting at base + start[i]
 * (a byte offset), count[i] vertices each (the closing vertex included when the ring has one).
 * area[i] = role[i] * |signed area| (m², role 1 for an exterior ring, -1 for a hole), perimeter[i] in m.
 */
void bm_measure_rings(bm_poly_init_fn init, bm_poly_addpoint_fn addpoint, bm_poly_compute_fn compute,
                      const void *geod, const uint8_t *base, const int64_t *start, const int64_t *count,
                      const int8_t *role, int64_t nrings, double *area, double *perimeter) {
    bm_polygon polygon;
    for (int64_t i = 0; i < nrings; i++) {
        const uint8_t *v = base + start[i];
        int64_t n = count[i];
        double a = 0.0, p = 0.0;
        if (n > 1 && memcmp(v, v + 16 * (n - 1), 16) == 0)
            n -= 1; /* the closing vertex: the algorithm closes the ring itself */
        if (n > 0) {
            init(&polygon, 0);
            for (int64_t k = 0; k < n; k++)
                addpoint(geod, &polygon, get_double(v + 16 * k + 8), get_double(v + 16 * k));
            compute(geod, &polygon, 0, 1, &a, &p);
        }
        area[i] = role[i] * fabs(a);
        perimeter[i] = p;
    }
}

/*
 * Walk little-endian 2D ISO WKB Polygons and MultiPolygons (what shapely.to_wkb(byte_order=1,
 * output_dimension=2, flavor="iso") writes), geometry g in buf[offsets[g] : offsets[g + 1]].
 * With start == NULL only counts the rings. Otherwise fills, per ring, the byte offset of its first
 * vertex in buf, its vertex count, its role (1 exterior, -1 hole) and the geometry it belongs to.
 * Returns the number of rings, or -(g + 1) for the first geometry g that is not such WKB or whose
 * headers point past its end.
 */
int64_t bm_wkb_rings(const uint8_t *buf, const int64_t *offsets, int64_t ngeoms, int64_t *start,
                     int64_t *count, int8_t *role, int64_t *owner) {
    int64_t nrings = 0;
    for (int64_t g = 0; g < ngeoms; g++) {
        int64_t pos = offsets[g], end = offsets[g + 1];
        uint32_t npolys = 1;
        if (end - pos < 9 || buf[pos] != 1)
            return -(g + 1);
        uint32_t type = get_u32(buf + pos + 1);
        if (type == 6) {
            npolys = get_u32(buf + pos + 5);
            pos += 9;
        } else if (type != 3) {
            return -(g + 1);
        }
        for (uint32_t j = 0; j < npolys; j++) {
            if (end - pos < 9 || buf[pos] != 1 || get_u32(buf + pos + 1) != 3)
                return -(g + 1);
            uint32_t rings = get_u32(buf + pos + 5);
            pos += 9;
            for (uint32_t r = 0; r < rings; r++) {
                if (end - pos < 4)
                    return -(g + 1);
                int64_t n = get_u32(buf + pos);
                pos += 4;
                if (n > (end - pos) / 16)
                    return -(g + 1);
                if (start != NULL) {
                    start[nrings] = pos;
                    count[nrings] = n;
                    role[nrings] = r == 0 ? 1 : -1;
                    owner[nrings] = g;
                }
                nrings++;
                pos += 16 * n;
            }
        }
        if (pos != end)
            return -(g + 1);
    }
    return nrings;
}
