import pytest

from huiwu.directory.models import Contact, Department, Organization, Person


@pytest.fixture
def city_hall(db):
    return Organization.objects.create(name="市人民政府办公厅", short_name="市府办", phone="0571-87001000")


@pytest.fixture
def finance_bureau(db):
    organization = Organization.objects.create(name="市财政局", phone="0571-87003000", address="行政办事中心 10 楼")
    budget = Department.objects.create(organization=organization, name="预算处")
    Department.objects.create(organization=organization, name="办公室")
    Contact.objects.create(
        organization=organization,
        department=budget,
        name="蒋涛",
        title="预算处副处长",
        phone="0571-87003028",
        email="jiangtao@czj.example",
    )
    return organization


@pytest.fixture
def mayor(city_hall):
    return Person.objects.create(
        name="张建国",
        title="市长",
        organization=city_hall,
        precedence=1,
        tea_preference="龙井",
        dietary_notes="清淡",
        habits="会前十分钟到场。\n续水时不要打断讲话。",
    )


@pytest.fixture
def finance_director(finance_bureau):
    return Person.objects.create(
        name="孙海涛", title="市财政局局长", organization=finance_bureau, precedence=10, tea_preference="普洱"
    )
