import Testing
@testable import PonderSandbox

@Test func PonderSandboxModuleLinks() {
    #expect(String(describing: PonderSandboxModule.self).hasSuffix("Module"))
}
