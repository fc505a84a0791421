import Testing
@testable import PonderServer

@Test func PonderServerModuleLinks() {
    #expect(String(describing: PonderServerModule.self).hasSuffix("Module"))
}
