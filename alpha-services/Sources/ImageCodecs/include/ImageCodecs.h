// Strict, bounded decoding of JPEG, PNG and WebP with the distribution's libraries.
//
// libjpeg and libpng report errors by longjmp, which Swift cannot catch: these functions wrap each
// library call in setjmp and turn every error — and every libjpeg warning, such as "premature end of
// JPEG file", which the library would otherwise paper over with grey pixels — into a status.
//
// Memory is bounded before anything is allocated: the declared width and height are read from the
// header and the image is refused (ALPHA_IMAGE_TOO_LARGE) when width × height exceeds `max_pixels`.
// JPEG and PNG (interlaced too) are then decoded one row at a time; WebP needs the
// whole image (4 bytes per pixel, at most 4 × `max_pixels`).
#ifndef ALPHA_IMAGE_CODECS_H
#define ALPHA_IMAGE_CODECS_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    ALPHA_IMAGE_OK = 0,
    /// Not a complete, valid image of the format (truncated, corrupt, trailing garbage in the stream).
    ALPHA_IMAGE_CORRUPT = 1,
    /// Declared dimensions above the limit (a decompression bomb, or simply too big).
    ALPHA_IMAGE_TOO_LARGE = 2,
    /// A valid file the service does not accept (animated WebP).
    ALPHA_IMAGE_UNSUPPORTED = 3,
    /// The allocator refused.
    ALPHA_IMAGE_NO_MEMORY = 4,
} alpha_image_status;

/// Called once per decoded row, top to bottom, with the row's bytes in the library's output layout
/// (only in the final pass; never for interlaced PNG). Used by tests to compare pixels.
typedef void (*alpha_image_row_visitor)(void *context, const uint8_t *row, size_t length);

/// Decodes `data` completely. On success `width` and `height` hold the pixel size.
alpha_image_status alpha_jpeg_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                                     uint32_t *width, uint32_t *height,
                                     alpha_image_row_visitor visitor, void *context);
alpha_image_status alpha_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                                    uint32_t *width, uint32_t *height,
                                    alpha_image_row_visitor visitor, void *context);
alpha_image_status alpha_webp_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                                     uint32_t *width, uint32_t *height,
                                     alpha_image_row_visitor visitor, void *context);

#endif
