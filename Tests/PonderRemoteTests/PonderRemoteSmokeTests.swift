import Testing
@testable import PonderRemote

@Test func PonderRemoteModuleLinks() {
    #expect(String(describing: PonderRemoteModule.self).hasSuffix("Module"))
}
