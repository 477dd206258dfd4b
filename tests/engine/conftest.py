def pytest_configure(config):
    config.addinivalue_line("markers", "fidelity: designer's vectorized providers against Faker (deselect with -m 'not fidelity')")
