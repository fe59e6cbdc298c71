import pytest

from keystone_login import LoginError, domain, endpoint, login, password_request


def test_domains_default_to_the_domain_named_default():
    body = password_request({"username": "u", "password": "p", "project_name": "demo"})
    assert body["auth"]["identity"]["password"]["user"]["domain"] == {"name": "Default"}
    assert body["auth"]["scope"] == {"project": {"name": "demo", "domain": {"name": "Default"}}}


def test_an_id_takes_precedence_over_a_name():
    body = password_request(
        {
            "username": "u",
            "password": "p",
            "user_domain_id": "d1",
            "user_domain_name": "Other",
            "project_name": "demo",
            "project_domain_id": "d2",
            "project_domain_name": "Other",
        }
    )
    assert body["auth"]["identity"]["password"]["user"]["domain"] == {"id": "d1"}
    assert body["auth"]["scope"]["project"]["domain"] == {"id": "d2"}


def test_a_project_id_scopes_without_a_domain():
    body = password_request({"username": "u", "password": "p", "project_id": "abc", "project_name": "x"})
    assert body["auth"]["scope"] == {"project": {"id": "abc"}}


def test_names_and_an_other_default_domain():
    assert domain(None, "Mine") == {"name": "Mine"}
    assert domain(None, None, "FromConf") == {"name": "FromConf"}
    assert domain("", "", "FromConf") == {"name": "FromConf"}


def test_a_numeric_password_from_yaml_is_sent_as_text():
    body = password_request({"username": "u", "password": 1234, "project_name": "p"})
    assert body["auth"]["identity"]["password"]["user"]["password"] == "1234"


def test_endpoint_by_interface_and_region():
    token = {
        "catalog": [
            {"type": "identity", "endpoints": [{"interface": "public", "url": "http://k/"}]},
            {
                "type": "object-store",
                "endpoints": [
                    {"interface": "internal", "region_id": "RegionOne", "url": "http://internal/v1/AUTH_x"},
                    {"interface": "public", "region_id": "RegionTwo", "url": "http://two/v1/AUTH_x"},
                    {"interface": "public", "region": "RegionOne", "url": "http://one/v1/AUTH_x/"},
                ],
            },
        ]
    }
    assert endpoint(token, "object-store", "public", "RegionOne") == "http://one/v1/AUTH_x"
    assert endpoint(token, "object-store", "internal") == "http://internal/v1/AUTH_x"
    assert endpoint(token, "compute") is None


def test_login_at_keystone(cloud):
    url, account = cloud
    token_id, token = login(url, account)
    assert token_id
    assert token["project"]["name"] == account["project_name"]
    assert endpoint(token, "identity") is not None


def test_keystone_refusing_is_its_http_status(cloud):
    url, account = cloud
    with pytest.raises(LoginError) as refused:
        login(url, dict(account, password="not-the-password"))
    assert refused.value.status == 401


def test_an_unreachable_keystone_names_the_url():
    with pytest.raises(LoginError) as unreachable:
        login("http://127.0.0.1:9/v3/", {"username": "u", "password": "p", "project_name": "p"}, timeout=10)
    assert unreachable.value.status is None
    assert "cannot reach http://127.0.0.1:9/v3/auth/tokens" in str(unreachable.value)
