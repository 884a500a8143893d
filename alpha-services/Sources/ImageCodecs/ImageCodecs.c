// See include/ImageCodecs.h. Every function checks the declared size against the pixel limit before the
// library allocates anything for the image, and treats every library error and warning as a refusal.
#include "ImageCodecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <webp/decode.h>

// A progressive JPEG may carry thousands of tiny scans, each re-touching the whole coefficient buffer
// (a CPU bomb that passes the pixel limit). Real encoders write around ten.
enum { ALPHA_MAX_JPEG_SCANS = 100 };

// Ancillary PNG chunks that are decompressed in memory (iCCP, zTXt, iTXt) may not inflate past this.
enum { ALPHA_MAX_PNG_CHUNK_BYTES = 8 * 1024 * 1024 };

static int exceeds(uint64_t width, uint64_t height, uint64_t max_pixels) {
    return width == 0 || height == 0 || width * height > max_pixels;
}

// MARK: - JPEG (libjpeg-turbo)

struct jpeg_guard {
    struct jpeg_error_mgr manager;  // first: libjpeg hands back a pointer to it
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
};

static void jpeg_fail(j_common_ptr info) {
    longjmp(((struct jpeg_guard *)info->err)->jump, 1);
}

static void jpeg_message(j_common_ptr info, int level) {
    // Level -1 is a warning: corrupt data the library would decode anyway (premature end of file,
    // extraneous bytes, bad Huffman codes). A complete, valid image raises none.
    if (level < 0) longjmp(((struct jpeg_guard *)info->err)->jump, 1);
}

static void jpeg_progress(j_common_ptr info) {
    j_decompress_ptr decompress = (j_decompress_ptr)info;
    if (decompress->input_scan_number > ALPHA_MAX_JPEG_SCANS) {
        longjmp(((struct jpeg_guard *)info->err)->jump, 1);
    }
}

alpha_image_status alpha_jpeg_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                                     uint32_t *width, uint32_t *height,
                                     alpha_image_row_visitor visitor, void *context) {
    struct jpeg_decompress_struct info;
    struct jpeg_guard guard;
    uint8_t *volatile row = NULL;

    memset(&info, 0, sizeof info);
    info.err = jpeg_std_error(&guard.manager);
    guard.manager.error_exit = jpeg_fail;
    guard.manager.emit_message = jpeg_message;
    if (setjmp(guard.jump)) {
        jpeg_destroy_decompress(&info);
        free(row);
        return ALPHA_IMAGE_CORRUPT;
    }
    jpeg_create_decompress(&info);
    guard.progress.progress_monitor = jpeg_progress;
    info.progress = &guard.progress;
    jpeg_mem_src(&info, data, (unsigned long)size);
    if (jpeg_read_header(&info, TRUE) != JPEG_HEADER_OK) {
        jpeg_destroy_decompress(&info);
        return ALPHA_IMAGE_CORRUPT;
    }
    if (exceeds(info.image_width, info.image_height, max_pixels)) {
        jpeg_destroy_decompress(&info);
        return ALPHA_IMAGE_TOO_LARGE;
    }
    jpeg_start_decompress(&info);
    size_t stride = (size_t)info.output_width * (size_t)info.output_components;
    row = malloc(stride);
    if (row == NULL) {
        jpeg_destroy_decompress(&info);
        return ALPHA_IMAGE_NO_MEMORY;
    }
    while (info.output_scanline < info.output_height) {
        JSAMPROW rows[1] = {row};
        if (jpeg_read_scanlines(&info, rows, 1) != 1) longjmp(guard.jump, 1);
        if (visitor != NULL) visitor(context, row, stride);
    }
    jpeg_finish_decompress(&info);
    *width = info.output_width;
    *height = info.output_height;
    jpeg_destroy_decompress(&info);
    free(row);
    return ALPHA_IMAGE_OK;
}

// MARK: - PNG (libpng)

struct png_source {
    const uint8_t *data;
    size_t size;
    size_t offset;
};

static void png_read_memory(png_structp png, png_bytep out, size_t length) {
    struct png_source *source = png_get_io_ptr(png);
    if (length > source->size - source->offset) png_error(png, "truncated");
    memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

static void png_fail(png_structp png, png_const_charp message) {
    (void)message;
    png_longjmp(png, 1);
}

static void png_warning_ignored(png_structp png, png_const_charp message) {
    // Warnings concern ancillary details libpng already handled (e.g. an unknown sRGB profile);
    // data errors arrive as errors (CRC failures are errors, see png_set_crc_action below).
    (void)png;
    (void)message;
}

alpha_image_status alpha_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                                    uint32_t *width, uint32_t *height,
                                    alpha_image_row_visitor visitor, void *context) {
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) return ALPHA_IMAGE_CORRUPT;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, png_fail, png_warning_ignored);
    if (png == NULL) return ALPHA_IMAGE_NO_MEMORY;
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        return ALPHA_IMAGE_NO_MEMORY;
    }
    struct png_source source = {data, size, 0};
    uint8_t *volatile row = NULL;
    volatile alpha_image_status failure = ALPHA_IMAGE_CORRUPT;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        free(row);
        return failure;
    }
    png_set_read_fn(png, &source, png_read_memory);
    png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
    png_set_chunk_malloc_max(png, ALPHA_MAX_PNG_CHUNK_BYTES);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info);
    png_uint_32 h = png_get_image_height(png, info);
    if (exceeds(w, h, max_pixels)) {
        failure = ALPHA_IMAGE_TOO_LARGE;
        png_longjmp(png, 1);
    }
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t stride = png_get_rowbytes(png, info);
    row = calloc(1, stride);
    if (row == NULL) {
        failure = ALPHA_IMAGE_NO_MEMORY;
        png_longjmp(png, 1);
    }
    // One row buffer for all passes: an interlaced image is still decoded (and checked) completely,
    // only its rows are not handed out whole.
    for (int pass = 0; pass < passes; pass++) {
        for (png_uint_32 y = 0; y < h; y++) {
            png_read_row(png, row, NULL);
            if (visitor != NULL && passes == 1) visitor(context, row, stride);
        }
    }
    png_read_end(png, NULL);  // up to IEND, checking every remaining chunk's CRC
    *width = w;
    *height = h;
    png_destroy_read_struct(&png, &info, NULL);
    free(row);
    return ALPHA_IMAGE_OK;
}

// MARK: - WebP (libwebp)

alpha_image_status alpha_webp_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                                     uint32_t *width, uint32_t *height,
                                     alpha_image_row_visitor visitor, void *context) {
    WebPBitstreamFeatures features;
    if (WebPGetFeatures(data, size, &features) != VP8_STATUS_OK) return ALPHA_IMAGE_CORRUPT;
    if (features.has_animation) return ALPHA_IMAGE_UNSUPPORTED;
    if (exceeds((uint64_t)features.width, (uint64_t)features.height, max_pixels)) return ALPHA_IMAGE_TOO_LARGE;
    size_t stride = (size_t)features.width * 4;
    size_t total = stride * (size_t)features.height;
    uint8_t *pixels = malloc(total);
    if (pixels == NULL) return ALPHA_IMAGE_NO_MEMORY;
    if (WebPDecodeRGBAInto(data, size, pixels, total, (int)stride) == NULL) {
        free(pixels);
        return ALPHA_IMAGE_CORRUPT;
    }
    if (visitor != NULL) {
        for (int y = 0; y < features.height; y++) visitor(context, pixels + (size_t)y * stride, stride);
    }
    *width = (uint32_t)features.width;
    *height = (uint32_t)features.height;
    free(pixels);
    return ALPHA_IMAGE_OK;
}
