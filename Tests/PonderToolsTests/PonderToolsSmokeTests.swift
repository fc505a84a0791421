import Testing
@testable import PonderTools

@Test func PonderToolsModuleLinks() {
    #expect(String(describing: PonderToolsModule.self).hasSuffix("Module"))
}
