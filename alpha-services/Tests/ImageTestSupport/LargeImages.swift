import Foundation
import ImageTestEncoders

public enum LargeImages {
    /// A real PNG of pseudo-random pixels just under 7 MiB (1500 × 1600 RGB, incompressible).
    public static func sevenMiBPNG() -> Data {
        TestImages.png(width: 1500, height: 1600, rgb: TestImages.noise(width: 1500, height: 1600))
    }
}
