import PonderReasoning
@testable import PonderServer
import PonderTools

extension ServerConfiguration {
    /// Tests written against a code runner on the configuration: reads or replaces the catalog
    /// with PonderTools' built-in one over `codeRunner` (nil: code execution not allowed), as
    /// `ponder serve` builds it.
    var codeRunner: (any CodeRunner)? {
        get { (toolCatalog as? BuiltInToolCatalog)?.codeRunner }
        set { toolCatalog = BuiltInToolCatalog(codeRunner: newValue) }
    }
}
