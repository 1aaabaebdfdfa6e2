fn main() {
    naftiko_codegen::build("../specs/vsphere-session.yaml").compile();
}
