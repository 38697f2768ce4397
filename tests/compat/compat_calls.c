/* SPDX-License-Identifier: MIT */
/*
 * coherent/compat/linux.h calls beyond map/sync/alloc_coherent, each on the
 * simulated non-coherent SoC (the sanitizer watching): dma_map_page,
 * dma_alloc_attrs, dma_alloc_pages, dma_pool_*, dma_map_resource,
 * dma_set_max_seg_size, dma_get_required_mask.  Each test checks what the
 * device sees, the error paths, and that the simulator reports nothing.
 */
#include <string.h>

#include "coherent/compat/linux.h"
#include "harness.h"
#include "sim.h"

TH_DEFINE_COUNTERS;

static struct device dev;
static struct coh_stream st;
static struct coh_map_rec recs[64];
static struct coh_region ram, uncached;
static unsigned char *heap;
static unsigned long nreports, ndiags;

static void on_report(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	if (nreports++ < 3)
		sim_print_report(r, stdout);
}

static void on_diag(const struct coh_where *w, const char *m, int e)
{
	(void)w;
	(void)m;
	(void)e;
	ndiags++;
}

static int setup(void)
{
	struct sim_config cfg;
	void *cpu;
	uint64_t phys;
	size_t size;

	sim_config_default(&cfg);
	cfg.ram_size = 1u << 20;
	if (sim_init(&cfg))
		return -1;
	sim_set_report_hook(on_report, NULL);
	coh_set_diag_handler(on_diag);
	sim_area(0, &cpu, &phys, &size);
	heap = cpu;	/* the first half: "kmalloc" memory, outside any region */
	if (coh_region_add(&ram, (unsigned char *)cpu + size / 2, phys + size / 2, size / 2, 0) ||
	    sim_area(1, &cpu, &phys, &size) ||
	    coh_region_add(&uncached, cpu, phys, size, COH_REGION_UNCACHED))
		return -1;
	coh_device_init(&dev.coh, "lx", 0);
	dev.coh.dma_mask = DMA_BIT_MASK(32);
	if (coh_stream_init(&st, recs, 64, 0) ||
	    coh_stream_bounce(&st, heap + (256u << 10), sim_virt_to_phys(heap + (256u << 10)),
			      64u << 10))
		return -1;
	return coh_device_set_stream(&dev.coh, &st);
}

/* dma_map_page: the page and offset a Linux driver passes */
static void t_map_page(void)
{
	unsigned char *buf = heap + 8192 + 256, got[512];
	dma_addr_t h;

	memset(buf, 0x3c, 512);
	h = dma_map_page(&dev, virt_to_page(buf), offset_in_page(buf), 512, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(&dev, h));
	CHECK_EQ(h, sim_virt_to_phys(buf));
	CHECK_EQ(sim_dev_read(&dev.coh, h, got, 512), 0);
	CHECK_EQ(memcmp(got, buf, 512), 0);
	dma_unmap_page(&dev, h, 512, DMA_TO_DEVICE);
	CHECK_EQ(nreports, 0);
	CHECK_EQ(ndiags, 0);
}

/* dma_alloc_attrs: coherent memory; NO_KERNEL_MAPPING and unknown bits refused */
static void t_alloc_attrs(void)
{
	dma_addr_t h;
	unsigned char *p = dma_alloc_attrs(&dev, 256, &h, GFP_KERNEL,
					   DMA_ATTR_WRITE_COMBINE | DMA_ATTR_NO_WARN);
	unsigned char got[4];

	CHECK(p != NULL);
	p[0] = 0xab;	/* plain C: the memory is coherent */
	CHECK_EQ(sim_dev_read(&dev.coh, h, got, 1), 0);
	CHECK_EQ(got[0], 0xab);
	dma_free_attrs(&dev, 256, p, h, 0);
	CHECK(dma_alloc_attrs(&dev, 256, &h, GFP_KERNEL, DMA_ATTR_NO_KERNEL_MAPPING) == NULL);
	CHECK(dma_alloc_attrs(&dev, 256, &h, GFP_KERNEL, 1ul << 20) == NULL);
	CHECK_EQ(ndiags, 2);
	CHECK_EQ(nreports, 0);
}

/* dma_alloc_pages: streaming memory the driver syncs by its handle */
static void t_alloc_pages(void)
{
	dma_addr_t h;
	struct page *pg = dma_alloc_pages(&dev, 4096, &h, DMA_FROM_DEVICE, GFP_KERNEL);
	unsigned char *p, w[64];

	CHECK(pg != NULL);
	p = page_address(pg);
	memset(w, 0x99, sizeof(w));
	CHECK_EQ(sim_dev_write(&dev.coh, h + 100, w, sizeof(w)), 0);
	dma_sync_single_for_cpu(&dev, h, 4096, DMA_FROM_DEVICE);
	coh_consume(&dev.coh, p + 100, 64);	/* the simulator proves it fresh */
	CHECK_EQ(p[100], 0x99);
	CHECK_EQ(p[163], 0x99);
	dma_sync_single_for_device(&dev, h, 4096, DMA_FROM_DEVICE);
	/* a wrong direction at free: reported, nothing freed */
	dma_free_pages(&dev, 4096, pg, h, DMA_TO_DEVICE);
	CHECK_EQ(ndiags, 1);
	dma_free_pages(&dev, 4096, pg, h, DMA_FROM_DEVICE);
	CHECK_EQ(ndiags, 1);
	CHECK(dma_alloc_pages(&dev, 0, &h, DMA_FROM_DEVICE, GFP_KERNEL) == NULL);
	CHECK_EQ(nreports, 0);
}

/* dma_pool: aligned blocks that never cross the boundary, coherent memory */
static void t_pool(void)
{
	struct dma_pool *pool = dma_pool_create("desc", &dev, 48, 16, 256);
	void *blk[COH_LINUX_POOL_BLOCKS + 1];
	dma_addr_t h[COH_LINUX_POOL_BLOCKS + 1];
	int i;

	CHECK(pool != NULL);
	for (i = 0; i < COH_LINUX_POOL_BLOCKS; i++) {
		blk[i] = i & 1 ? dma_pool_zalloc(pool, GFP_KERNEL, &h[i])
			       : dma_pool_alloc(pool, GFP_KERNEL, &h[i]);
		CHECK(blk[i] != NULL);
		CHECK_EQ(h[i] & 15, 0);
		CHECK_EQ(h[i] / 256, (h[i] + 47) / 256);	/* inside one 256 B window */
		CHECK_EQ(h[i], sim_virt_to_phys(blk[i]));
		memset(blk[i], i, 48);
	}
	CHECK(dma_pool_alloc(pool, GFP_KERNEL, &h[i]) == NULL);	/* empty, not an error */
	CHECK_EQ(ndiags, 0);
	/* blocks do not overlap */
	for (i = 0; i < COH_LINUX_POOL_BLOCKS; i++)
		CHECK_EQ(((unsigned char *)blk[i])[47], (unsigned char)i);
	dma_pool_destroy(pool);			/* blocks out: refused, reported */
	CHECK_EQ(ndiags, 1);
	dma_pool_free(pool, blk[0], h[1]);	/* wrong handle: reported */
	CHECK_EQ(ndiags, 2);
	for (i = 0; i < COH_LINUX_POOL_BLOCKS; i++)
		dma_pool_free(pool, blk[i], h[i]);
	dma_pool_free(pool, blk[0], h[0]);	/* twice: reported */
	CHECK_EQ(ndiags, 3);
	dma_pool_destroy(pool);
	CHECK_EQ(ndiags, 3);
	CHECK(dma_pool_create("bad", &dev, 48, 3, 0) == NULL);
	CHECK(dma_pool_create("bad", &dev, 512, 16, 256) == NULL);
	CHECK_EQ(ndiags, 5);
	CHECK_EQ(nreports, 0);
}

/* dma_map_resource: a bus address for peer MMIO, nothing else */
static void t_map_resource(void)
{
	dma_addr_t h;

	dev.coh.bus_offset = 0x10000;
	h = dma_map_resource(&dev, 0x3f000000ull, 4096, DMA_BIDIRECTIONAL, 0);
	CHECK(!dma_mapping_error(&dev, h));
	CHECK_EQ(h, 0x3f010000ull);
	dma_unmap_resource(&dev, h, 4096, DMA_BIDIRECTIONAL, 0);
	h = dma_map_resource(&dev, 0x1fffffff0ull, 4096, DMA_TO_DEVICE, 0);	/* beyond 32 bits */
	CHECK(dma_mapping_error(&dev, h));
	dev.coh.bus_offset = 0;
	CHECK_EQ(ndiags, 1);
}

/* dma_set_max_seg_size: dma_map_sg merges no further */
static void t_max_seg_size(void)
{
	struct scatterlist sg[4];
	unsigned char *b = heap + 16384;
	int n;

	CHECK_EQ(dma_get_max_seg_size(&dev), 0xffffffffu);
	sg_init_table(sg, 4);
	for (int i = 0; i < 4; i++)
		sg_set_buf(&sg[i], b + i * 1024, 1024);
	n = dma_map_sg(&dev, sg, 4, DMA_TO_DEVICE);
	CHECK_EQ(n, 1);
	dma_unmap_sg(&dev, sg, 4, DMA_TO_DEVICE);
	CHECK_EQ(dma_set_max_seg_size(&dev, 2048), 0);
	CHECK_EQ(dma_get_max_seg_size(&dev), 2048);
	n = dma_map_sg(&dev, sg, 4, DMA_TO_DEVICE);
	CHECK_EQ(n, 2);
	CHECK_EQ(sg_dma_len(&sg[0]), 2048);
	dma_unmap_sg(&dev, sg, 4, DMA_TO_DEVICE);
	dma_set_max_seg_size(&dev, 0);
	CHECK_EQ(nreports, 0);
}

/* dma_get_required_mask: what reaches every region and the bounce pool */
static void t_required_mask(void)
{
	uint64_t top = uncached.phys + uncached.size - 1, m;

	m = dma_get_required_mask(&dev);
	CHECK(m >= top);
	CHECK_EQ(m & (m + 1), 0);		/* DMA_BIT_MASK(n) form */
	CHECK(m >> 1 < top);			/* the smallest */
	dev.coh.bus_offset = 1ull << 40;
	CHECK(dma_get_required_mask(&dev) > DMA_BIT_MASK(40));
	dev.coh.bus_offset = 0;
}

int main(void)
{
	if (setup())
		return 2;
	RUN(t_map_page);
	RUN(t_alloc_attrs);
	ndiags = 0;
	RUN(t_alloc_pages);
	ndiags = 0;
	RUN(t_pool);
	ndiags = 0;
	RUN(t_map_resource);
	RUN(t_max_seg_size);
	RUN(t_required_mask);
	if (coh_device_teardown(&dev.coh) || nreports) {
		printf("compat_calls: mappings or given bytes left at teardown\n");
		th_fail++;
	}
	sim_fini();
	return th_finish("compat_calls");
}
