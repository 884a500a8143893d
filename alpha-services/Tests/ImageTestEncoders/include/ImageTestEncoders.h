// Test-only encoders (the same distribution libraries the image service decodes with), so the tests
// make real files of every accepted format instead of shipping binary fixtures.
#ifndef ALPHA_IMAGE_TEST_ENCODERS_H
#define ALPHA_IMAGE_TEST_ENCODERS_H

#include <stddef.h>
#include <stdint.h>

/// Each encoder takes tightly packed 8-bit RGB rows and returns a malloc'd file in `*out` (free it
/// with alpha_test_free); 0 on success.
int alpha_test_encode_jpeg(const uint8_t *rgb, uint32_t width, uint32_t height, int quality, int progressive,
                           uint8_t **out, size_t *out_size);
int alpha_test_encode_png(const uint8_t *rgb, uint32_t width, uint32_t height, int interlaced,
                          uint8_t **out, size_t *out_size);
int alpha_test_encode_webp(const uint8_t *rgb, uint32_t width, uint32_t height, int lossless,
                           uint8_t **out, size_t *out_size);
void alpha_test_free(void *pointer);

#endif
