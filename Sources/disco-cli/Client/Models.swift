import DiscoCore
import Foundation

