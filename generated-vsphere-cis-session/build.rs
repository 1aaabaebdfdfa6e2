fn main() {
    naftiko_codegen::build("../specs/vsphere-cis-session.yaml").compile();
}
