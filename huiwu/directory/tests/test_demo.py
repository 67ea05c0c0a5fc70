from huiwu.directory.demo import CLIENT_ORGANIZATION, DEMO_PEOPLE, demo_load
from huiwu.directory.models import Contact, Department, Organization, Person
from huiwu.directory.selectors import people_search


def _counts() -> list[int]:
    return [model.objects.count() for model in (Organization, Department, Contact, Person)]


def test_it_loads_the_demo_directory_idempotently(db):
    demo_load()
    first = _counts()
    demo_load()
    assert _counts() == first
    organizations, departments, contacts, people = first
    assert 3 <= organizations <= 4
    assert departments >= organizations
    assert contacts >= organizations
    assert people == len(DEMO_PEOPLE)
    assert 12 <= people <= 15
    assert Organization.objects.filter(name=CLIENT_ORGANIZATION).exists()


def test_it_restores_demo_details_that_were_changed(db):
    demo_load()
    Person.objects.filter(name="张建国").update(tea_preference="咖啡", is_active=False)
    demo_load()
    mayor = Person.objects.get(name="张建国")
    assert (mayor.tea_preference, mayor.is_active) == ("龙井", True)


def test_it_makes_the_demo_mayor_the_most_senior_and_findable_by_initials(db):
    demo_load()
    assert people_search(Person.objects.all(), "").first().name == "张建国"
    assert [person.name for person in people_search(Person.objects.all(), "zjg")] == ["张建国"]
    assert all(contact.phone.startswith("0571-8700") for contact in Contact.objects.all())
