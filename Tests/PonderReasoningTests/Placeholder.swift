import Testing
@testable import PonderReasoning
