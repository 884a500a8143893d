#include "ImageTestEncoders.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <webp/encode.h>

int alpha_test_encode_jpeg(const uint8_t *rgb, uint32_t width, uint32_t height, int quality, int progressive,
                           uint8_t **out, size_t *out_size) {
    struct jpeg_compress_struct info;
    struct jpeg_error_mgr errors;
    info.err = jpeg_std_error(&errors);
    jpeg_create_compress(&info);
    unsigned char *buffer = NULL;
    unsigned long length = 0;
    jpeg_mem_dest(&info, &buffer, &length);
    info.image_width = width;
    info.image_height = height;
    info.input_components = 3;
    info.in_color_space = JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    if (progressive) jpeg_simple_progression(&info);
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = (JSAMPROW)(rgb + (size_t)info.next_scanline * width * 3);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    *out = buffer;
    *out_size = length;
    return 0;
}

struct growing_buffer {
    uint8_t *data;
    size_t size;
    size_t capacity;
};

static void png_write_memory(png_structp png, png_bytep bytes, size_t length) {
    struct growing_buffer *buffer = png_get_io_ptr(png);
    if (buffer->size + length > buffer->capacity) {
        size_t capacity = (buffer->capacity + length) * 2;
        uint8_t *grown = realloc(buffer->data, capacity);
        if (grown == NULL) png_error(png, "out of memory");
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, bytes, length);
    buffer->size += length;
}

static void png_flush_nothing(png_structp png) { (void)png; }

int alpha_test_encode_png(const uint8_t *rgb, uint32_t width, uint32_t height, int interlaced,
                          uint8_t **out, size_t *out_size) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    struct growing_buffer buffer = {NULL, 0, 0};
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(buffer.data);
        return 1;
    }
    png_set_write_fn(png, &buffer, png_write_memory, png_flush_nothing);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB,
                 interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    int passes = png_set_interlace_handling(png);
    for (int pass = 0; pass < passes; pass++) {
        for (uint32_t y = 0; y < height; y++) png_write_row(png, rgb + (size_t)y * width * 3);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    *out = buffer.data;
    *out_size = buffer.size;
    return 0;
}

int alpha_test_encode_webp(const uint8_t *rgb, uint32_t width, uint32_t height, int lossless,
                           uint8_t **out, size_t *out_size) {
    uint8_t *encoded = NULL;
    size_t size = lossless ? WebPEncodeLosslessRGB(rgb, (int)width, (int)height, (int)width * 3, &encoded)
                           : WebPEncodeRGB(rgb, (int)width, (int)height, (int)width * 3, 80.0f, &encoded);
    if (size == 0) return 1;
    // Copy into malloc'd memory so alpha_test_free works for every encoder.
    *out = malloc(size);
    memcpy(*out, encoded, size);
    WebPFree(encoded);
    *out_size = size;
    return 0;
}

void alpha_test_free(void *pointer) { free(pointer); }
